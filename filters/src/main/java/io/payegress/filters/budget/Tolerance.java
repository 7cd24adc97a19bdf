package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Request;

/**
 * How late after its slot a request of this replica may leave, which its grants pay for in the limit: the late
 * tolerance, or a quarter more than the {@link #QUANTILE} of the lateness of the last {@link #OBSERVATIONS} grants
 * seen here (at hand-out and at the socket) within {@link #HORIZON_NANOS}, at most max-wait. A percentile, not the
 * maximum: one request held up for seconds (a pause, a compilation at a step in load) would otherwise make every grant
 * of the replica count for a second longer for half a minute, and the limit would look full while it has room; that
 * request's grant is given back and asked for again instead. A grant asked for with a tolerance counts in the store's log for
 * its <em>reach</em>: the window plus the tolerance beyond the late tolerance. A starved replica's grants thus count
 * longer and leave less room for more grants (slower answers) instead of going stale and being thrown away; a replica
 * that keeps up pays nothing. Thread-safe.
 */
final class Tolerance {

    /** How many of the last latenesses count. */
    static final int OBSERVATIONS = 512;

    /** How long a lateness counts, at most. */
    static final long HORIZON_NANOS = 5_000_000_000L;

    /** The share of recent grants whose lateness the tolerance covers (before the quarter added). */
    static final double QUANTILE = 0.99;

    private final long floorNanos;
    private final long capNanos;
    private final long windowMicros;
    private final RecentQuantile lateness = new RecentQuantile(OBSERVATIONS, HORIZON_NANOS, QUANTILE);

    Tolerance(BudgetSettings settings) {
        this.floorNanos = settings.lateTolerance().toNanos();
        this.capNanos = Math.max(floorNanos, settings.maxWait().toNanos());
        this.windowMicros = settings.windowMicros();
    }

    /** Notes how late after its slot a grant reached its request or the socket. */
    synchronized void observe(long lagNanos, long nowNanos) {
        lateness.observe(Math.max(0, lagNanos), nowNanos);
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
