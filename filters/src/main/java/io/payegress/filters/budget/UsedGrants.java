package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetMetrics.SlotTo;
import io.payegress.filters.budget.BudgetMetrics.Waste;
import io.payegress.filters.budget.BudgetStore.Departed;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each grant a request uses counts in the limit, part of one {@link BudgetLimiter}: the last look before the
 * request leaves, its departure, WeChat's answer or its failure, each count reported to the store with the next call
 * (on the shared {@link DispatchState}, under its monitor). The forward stage reports them through the limiter
 * ({@code Departure}).
 */
final class UsedGrants {

    /**
     * At DEBUG, one line per count reported for a used grant: its id, the event (left, left-late, answer, late-answer,
     * failure), when it happened and until when it counts, in {@code System.nanoTime()} as the forward stage's and the
     * simulator's trace lines: the budget benchmark's {@code --trace-departures} checks each call's count against its
     * arrival at the simulator. Off by default.
     */
    private static final Logger trace = LoggerFactory.getLogger("payegress.departures");

    private final String budget;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final DispatchState state;
    private final Tolerance tolerance;
    private final AnswerTime answers;

    UsedGrants(String budget, BudgetMetrics metrics, LongSupplier nanoTime, DispatchState state, Tolerance tolerance) {
        this.budget = budget;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.state = state;
        this.tolerance = tolerance;
        this.answers = new AnswerTime(tolerance.departedCountsForNanos() - Tolerance.ANSWERED_COUNTS_FOR_NANOS);
    }

    /**
     * Whether a request holding this permit may leave now: not when it comes later than its grant's tolerance after
     * its slot (the bound checked when the grant was handed out, checked again by the forward stage as the request
     * leaves). A stale grant is counted as wasted; the request must ask again, and the budget stage gives the grant
     * back ({@link BudgetLimiter#unused}).
     */
    boolean mayLeave(BudgetPermit permit) {
        long now = nanoTime.getAsLong();
        long lag = now - permit.slotNanos();
        tolerance.observe(lag, now);
        if (lag <= permit.slot().toleranceNanos()) {
            return true;
        }
        metrics.wastedGrant(budget, Waste.LATE_DEPARTURE);
        return false;
    }

    /**
     * The request holding this permit is about to be written now: its grant is used from now on (never given back).
     * Its count from the departure follows once it is {@link #written}.
     */
    void leaving(BudgetPermit permit) {
        long now = nanoTime.getAsLong();
        if (permit.slot().leave(now)) {
            metrics.usedGrant(budget, SlotTo.DEPARTURE, Duration.ofNanos(now - permit.slotNanos()));
        }
    }

    /**
     * The request holding this permit was written to the socket by now (its bytes handed to the kernel): its grant is
     * reported to the store with the next call, to count from this departure instead of for all its tolerance; or,
     * written later than its tolerance after its slot (a thread stalled between the last look and the write), to count
     * from this departure even though that is longer. Call it only after {@link #leaving}.
     */
    void written(BudgetPermit permit) {
        GrantedSlot slot = permit.slot();
        long now = nanoTime.getAsLong();
        boolean late = now - permit.slotNanos() > slot.toleranceNanos();
        Departed departed = slot.written(now, tolerance.departedCountsForNanos(), late);
        if (departed != null) {
            trace(slot, late ? "left-late" : "left", now, now, now + tolerance.departedCountsForNanos());
            reportWithNextCall(slot, departed);
        }
    }

    /**
     * WeChat's answer to the request holding this permit reached this host at least {@code ageNanos} ago (0 when only
     * its read is known), never before the request left: the request reached WeChat before then, so its grant counts
     * no longer than until then (the latest store time it can be) plus one second, reported with the next call.
     * That is sooner than its departure's count when the answer came before the margin's allowance for the way there
     * ran out, which lets the budget use more than 1/(1 + margin) of the limit. When the answer took longer than usual
     * by more than that allowance ({@link AnswerTime}), the way there may have taken longer than the departure's count
     * assumed, and the grant counts exactly until the answer plus one second, later than the departure said: the slots
     * granted after the report keep clear of it. Call it only after {@link #written}.
     */
    void answered(BudgetPermit permit, long ageNanos) {
        long now = nanoTime.getAsLong();
        GrantedSlot slot = permit.slot();
        long departed = slot.departedNanos();
        long at = departed == GrantedSlot.NOT_DEPARTED ? now : Math.max(departed, now - Math.max(0, ageNanos));
        boolean late = departed != GrantedSlot.NOT_DEPARTED && answers.late(at - departed, at);
        Departed answer = slot.answered(at, Tolerance.ANSWERED_COUNTS_FOR_NANOS, late);
        if (answer != null) {
            trace(slot, late ? "late-answer" : "answer", now, at, at + Tolerance.ANSWERED_COUNTS_FOR_NANOS);
        }
        if (answer != null && late) {
            metrics.lateAnswer(budget);
        }
        report(permit, answer, SlotTo.ANSWER, at);
    }

    /**
     * The request holding this permit left and ended without an answer (a timeout, a lost connection): it reached
     * WeChat before now if at all, so its grant counts at least until now plus one second. Nothing when its answer was
     * reported. Call it only after {@link #leaving}.
     */
    void failed(BudgetPermit permit) {
        long now = nanoTime.getAsLong();
        Departed failure = permit.slot().failed(now, Tolerance.ANSWERED_COUNTS_FOR_NANOS);
        if (failure != null) {
            trace(permit.slot(), "failure", now, now, now + Tolerance.ANSWERED_COUNTS_FOR_NANOS);
        }
        report(permit, failure, SlotTo.FAILURE, now);
    }

    /** The trace line of a count reported for {@code slot}: seen at {@code nowNanos}, for {@code atNanos}. */
    private static void trace(GrantedSlot slot, String event, long nowNanos, long atNanos, long untilNanos) {
        if (trace.isDebugEnabled()) {
            trace.debug("counted {} {} {} {} {}", slot, event, nowNanos, atNanos, untilNanos);
        }
    }

    private void report(BudgetPermit permit, @Nullable Departed outcome, SlotTo event, long nowNanos) {
        if (outcome != null) {
            metrics.usedGrant(budget, event, Duration.ofNanos(nowNanos - permit.slotNanos()));
            reportWithNextCall(permit.slot(), outcome);
        }
    }

    /** Queues the grant's count for the store's next call. */
    private void reportWithNextCall(GrantedSlot slot, Departed count) {
        synchronized (state) {
            state.departures.add(new PendingDeparture(slot.store(), count));
        }
    }
}
