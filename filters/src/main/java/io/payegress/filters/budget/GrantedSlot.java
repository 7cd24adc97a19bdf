package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Count;
import io.payegress.filters.budget.BudgetStore.Departed;
import io.payegress.filters.budget.BudgetStore.Refund;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One grant as the store logged it, and the store that did: what a grant that goes unused gives back
 * ({@link Refund}) so that it stops counting against the limit, or what a grant whose request left reports
 * ({@link Departed}) so that it counts from its real departure rather than for all its tolerance, and then from its
 * answer (or its lack). Settled at most once: given back, or left on; a left one is reported written at most once,
 * and answered or failed at most once.
 */
public final class GrantedSlot {

    /** {@link #departedNanos} before the request left. */
    static final long NOT_DEPARTED = Long.MIN_VALUE;

    private final BudgetStore store;
    private final String id;
    private final long toleranceNanos;
    private final long latestOffsetNanos;
    private final long sampledNanos;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean written = new AtomicBoolean();
    private final AtomicBoolean answered = new AtomicBoolean();
    /** Local time its request left (told it leaves, then written), once it did. */
    private volatile long departedNanos = NOT_DEPARTED;

    /**
     * @param id the grant's id in the store's log
     * @param toleranceNanos how late after its slot its request may leave (what its reach in the log paid for)
     * @param latestOffsetNanos the largest the store's clock can be ahead of the local one, as of {@code sampledNanos}
     */
    GrantedSlot(BudgetStore store, String id, long toleranceNanos, long latestOffsetNanos, long sampledNanos) {
        this.store = store;
        this.id = id;
        this.toleranceNanos = toleranceNanos;
        this.latestOffsetNanos = latestOffsetNanos;
        this.sampledNanos = sampledNanos;
    }

    BudgetStore store() {
        return store;
    }

    Refund refund() {
        return new Refund(id);
    }

    long toleranceNanos() {
        return toleranceNanos;
    }

    /** True for the one caller that settles the slot: used by a departure, or given back. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /**
     * Settles the slot as used by a request about to be written at local time {@code nowNanos}: it is never given back
     * from now on. False when the slot was settled already (given back).
     */
    boolean leave(long nowNanos) {
        if (!settle()) {
            return false;
        }
        departedNanos = nowNanos;
        return true;
    }

    /**
     * Reports the slot's request written to the socket at local time {@code nowNanos} (its bytes handed to the kernel,
     * so it left no later): it counts until the latest store time that can be (the offset's upper bound, widened by the
     * clocks' drift since it was sampled) plus {@code countsForNanos}: no longer than its slot plus its reach, or, when
     * {@code late} (written later than its tolerance after its slot: a thread stalled between the last look and the
     * write, which the reach did not pay for), exactly until then, past its reach. Null unless the slot was
     * {@link #leave left} and not reported written yet.
     */
    @Nullable
    Departed written(long nowNanos, long countsForNanos, boolean late) {
        if (departedNanos == NOT_DEPARTED || !written.compareAndSet(false, true)) {
            return null;
        }
        departedNanos = nowNanos;
        long until = latestStoreMicros(nowNanos, countsForNanos);
        return late ? new Departed(id, until, Count.EXACTLY) : Departed.leaving(id, until);
    }

    /**
     * Reports the slot's request answered at local time {@code nowNanos}: the request reached WeChat before then, so
     * the grant counts no longer than the latest store time the answer can have come plus {@code countsForNanos} (one
     * second), or exactly until then when {@code late} (the answer took longer than usual: the way there may have
     * taken longer than the departure's count allowed for). Null when it was reported answered (or failed) already.
     */
    @Nullable
    Departed answered(long nowNanos, long countsForNanos, boolean late) {
        return outcome(nowNanos, countsForNanos, late ? Count.EXACTLY : Count.AT_MOST);
    }

    /** Local time the slot's request left ({@link #leave}, then {@link #written}); {@link #NOT_DEPARTED} before. */
    long departedNanos() {
        return departedNanos;
    }

    /**
     * Reports that no answer came to the slot's request by local time {@code nowNanos} (a timeout, a closed
     * connection): it reached WeChat before then if at all, so the grant counts at least until the latest store time
     * that can be plus {@code countsForNanos}. Null when it was reported answered (or failed) already.
     */
    @Nullable
    Departed failed(long nowNanos, long countsForNanos) {
        return outcome(nowNanos, countsForNanos, Count.AT_LEAST);
    }

    private @Nullable Departed outcome(long nowNanos, long countsForNanos, Count count) {
        if (!answered.compareAndSet(false, true)) {
            return null;
        }
        return new Departed(id, latestStoreMicros(nowNanos, countsForNanos), count);
    }

    /** The grant's id in the store's log (trace lines join on it). */
    @Override
    public String toString() {
        return id;
    }

    /**
     * The latest store time local time {@code nowNanos} can be (the offset's upper bound, widened by the clocks' drift
     * since it was sampled) plus {@code countsForNanos}, in microseconds rounded up.
     */
    private long latestStoreMicros(long nowNanos, long countsForNanos) {
        long drift = (long) Math.ceil(Math.max(0, nowNanos - sampledNanos) * StoreClock.DRIFT) + 1_000;
        long latestStoreNanos = nowNanos + latestOffsetNanos + drift;
        return Math.floorDiv(latestStoreNanos + countsForNanos, 1_000) + 1;
    }
}
