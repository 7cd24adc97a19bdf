package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.budget.BudgetMetrics.Waste;
import io.payegress.filters.budget.BudgetStore.Demand;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Hands one limiter's grants to its waiters: each grant of an answer (released holding the limiter's
 * {@link DispatchState}) goes to its tenant's oldest waiter the lead before its slot, or back to the store with the
 * next call when it comes too late, finds no waiter, or is not used.
 */
final class GrantHandout {

    private final BudgetSettings settings;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final DispatchState state;
    private final Tolerance tolerance;
    private final WaitingRoom waiting;
    /** Asks the dispatcher for a call ({@link StoreDispatcher#dispatch}, not forced). */
    private final Runnable dispatch;

    GrantHandout(
            BudgetSettings settings,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            Scheduler scheduler,
            DispatchState state,
            Tolerance tolerance,
            WaitingRoom waiting,
            Runnable dispatch) {
        this.settings = settings;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.state = state;
        this.tolerance = tolerance;
        this.waiting = waiting;
        this.dispatch = dispatch;
    }

    /**
     * Hands the grant for the store instant {@code slot} to the tenant's oldest waiter the lead before the latest local
     * time the slot can be; the request leaves no earlier than that latest time, and its lateness is measured from the
     * earliest.
     */
    void release(
            Demand demand, boolean delayed, long slot, StoreClock.Offset offset, boolean degraded, GrantedSlot logged) {
        Waiter waiter = state.queue.poll(demand.tenant());
        while (waiter != null && waiter.isClaimed()) {
            waiter = state.queue.poll(demand.tenant());
        }
        if (waiter == null) {
            metrics.wastedGrant(settings.name(), Waste.NO_WAITER);
            giveBack(logged);
            return;
        }
        long now = nanoTime.getAsLong();
        state.lastGrantNanos = now;
        Outcome outcome = degraded ? Outcome.DEGRADED : waiter.deferred || delayed ? Outcome.WAITED : Outcome.ADMITTED;
        long slotNanos = offset.earliestLocal(slot);
        long notBefore = offset.latestLocal(slot);
        long releaseIn = Math.max(0, notBefore - settings.lead().toNanos() - now);
        Waiter granted = waiter;
        scheduler.schedule(() -> use(granted, outcome, slotNanos, notBefore, logged), releaseIn, TimeUnit.NANOSECONDS);
    }

    /**
     * Hands the grant to its request, unless it comes later than the late tolerance after the earliest local time
     * its slot can be (a paused or overloaded JVM): then the grant is given back and the request asks again at the
     * head of its tenant's queue, so that what leaves this stage keeps the sliding-window bound and the slot stops
     * counting. When the request left meanwhile (timed out or cancelled), the grant goes to the tenant's next waiter
     * instead: the slot and its tenant are the same.
     */
    private void use(Waiter waiter, Outcome outcome, long slotNanos, long notBefore, GrantedSlot logged) {
        long now = nanoTime.getAsLong();
        long lag = now - slotNanos;
        metrics.grantLag(settings.name(), Duration.ofNanos(Math.max(0, lag)));
        tolerance.observe(lag, now);
        if (lag > logged.toleranceNanos()) {
            metrics.wastedGrant(settings.name(), Waste.LATE);
            giveBack(logged);
            if (!waiter.isClaimed()) {
                synchronized (state) {
                    state.queue.putBack(waiter.tenant, waiter);
                }
            }
            dispatch.run();
            return;
        }
        Waiter taker = waiter.claim() ? waiter : replacement(waiter.tenantId());
        if (taker == null) {
            metrics.wastedGrant(settings.name(), Waste.GONE);
            giveBack(logged);
            dispatch.run();
            return;
        }
        taker.timeout.dispose();
        synchronized (state) {
            state.grants.record(taker.tenantId(), nanoTime.getAsLong());
        }
        succeed(
                taker,
                taker == waiter || outcome == Outcome.DEGRADED ? outcome : Outcome.WAITED,
                slotNanos,
                notBefore,
                logged);
    }

    /** The tenant's oldest waiter that is still waiting, claimed for a grant; null when there is none. */
    private @Nullable Waiter replacement(String tenant) {
        synchronized (state) {
            Waiter next = state.queue.poll(tenant);
            while (next != null && !next.claim()) {
                next = state.queue.poll(tenant);
            }
            return next;
        }
    }

    private void succeed(Waiter waiter, Outcome outcome, long slotNanos, long notBefore, GrantedSlot logged) {
        Duration waited = waiting.waited(waiter);
        metrics.decision(waiter.route, waiter.tenantId(), outcome, waited);
        waiter.sink.success(new BudgetPermit(outcome, waited, slotNanos, notBefore, logged));
    }

    /**
     * Gives an unused grant back to its store with the next call, so that it stops counting against the limit and its
     * tenant's share. Safe because nothing was written on it: the forward stage's last look refused to write.
     */
    void giveBack(GrantedSlot slot) {
        if (!slot.settle()) {
            return;
        }
        metrics.refunded(settings.name());
        synchronized (state) {
            state.refunds.add(slot);
        }
    }
}
