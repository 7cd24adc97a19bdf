package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Request;

/**
 * How late after its slot a request of this replica may leave, which its grants pay for in the limit: the late
 * tolerance, or a quarter more than the longest recent lateness seen here (at hand-out and at the socket, halving
 * every {@link #HALF_LIFE_NANOS}), at most max-wait. A grant asked for with a tolerance counts in the store's log for
 * its <em>reach</em>: the window plus the tolerance beyond the late tolerance. A starved replica's grants thus count
 * longer and leave less room for more grants (slower answers) instead of going stale and being thrown away; a replica
 * that keeps up pays nothing. Thread-safe.
 */
final class Tolerance {

    /**
     * How long after its answer came (the latest store time it can be) an answered grant counts: one second, WeChat's
     * window, with no margin: the request reached WeChat before its answer came.
     */
    static final long ANSWERED_COUNTS_FOR_NANOS = 1_000_000_000L;

    /** How long a lateness is remembered: its half-life. */
    static final long HALF_LIFE_NANOS = 5_000_000_000L;

    private final long floorNanos;
    private final long capNanos;
    private final long windowMicros;
    private final DecayingMax lateness = new DecayingMax(HALF_LIFE_NANOS);

    Tolerance(BudgetSettings settings) {
        this.floorNanos = settings.lateTolerance().toNanos();
        this.capNanos = Math.max(floorNanos, settings.maxWait().toNanos());
        this.windowMicros = settings.windowMicros();
    }

    /** Notes how late after its slot a grant reached its request or the socket. */
    synchronized void observe(long lagNanos, long nowNanos) {
        if (lagNanos > 0) {
            lateness.observe(lagNanos, nowNanos);
        }
    }

    /** The tolerance the next grants ask for. */
    synchronized long nanos(long nowNanos) {
        long observed = lateness.at(nowNanos) / 4 * 5;
        return Math.min(capNanos, Math.max(floorNanos, observed));
    }

    /** How long after its slot each grant of the next call counts: the window plus the tolerance beyond the floor. */
    long reachMicros(long nowNanos) {
        return windowMicros + (nanos(nowNanos) - floorNanos) / 1_000;
    }

    /** The tolerance a grant of this request got: what its reach paid for beyond the window. */
    long grantedNanos(Request request) {
        return floorNanos + Math.max(0, request.reachMicros() - windowMicros) * 1_000;
    }

    /**
     * How long after its departure (the latest store time it can be) a departed grant counts: the window less the late
     * tolerance, as for a grant that left at the end of the late tolerance after its slot.
     */
    long departedCountsForNanos() {
        return windowMicros * 1_000 - floorNanos;
    }
}
