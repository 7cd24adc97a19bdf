package io.payegress.filters.budget;

/**
 * How far after the store's now a call's earliest slot must be, and how long before its slot a grant is handed out,
 * so that a grant reaches the socket at its slot instead of after it. Two ways are measured (each the largest recent
 * one, halving each second, taken when it is more than half the late tolerance): the <em>way back</em> of an answer
 * from the store's decision to this replica, and the <em>travel</em> of a granted request from its hand-out to its
 * connection, ready to write (the rest of the pipeline, a connection from the pool, the hop to its event loop). Slots
 * are asked for their sum after the store's now, at most half of max-wait, and grants are handed out the travel
 * before their slots (at least the configured {@code lead}).
 *
 * <p>Why: a grant counts against the limit from its slot, so the time between its slot and its departure is window
 * held for a call WeChat has not seen; on a starved replica that time capped the use of the limit (session 16: 95.5%
 * of it where slot to departure was 21 ms, 83% where it was 110-120 ms) and grew the {@link Tolerance}, until the
 * budget refused at 80% of the limit. A slot placed where the request will be makes the grant count from about its
 * departure. Safety does not depend on it (slots only move later); on a replica whose answers and requests keep up it
 * is zero, and a grant made at once is handed out at once. Thread-safe.
 */
final class Lead {

    private final long thresholdNanos;
    private final long maxNanos;
    private final long handOutNanos;
    private final DecayingMax wayBack = new DecayingMax();
    private final DecayingMax travel = new DecayingMax();

    Lead(BudgetSettings settings) {
        this.thresholdNanos = settings.lateTolerance().toNanos() / 2;
        this.maxNanos = settings.maxWait().toNanos() / 2;
        this.handOutNanos = settings.lead().toNanos();
    }

    /**
     * Notes how long an answer took from the store's decision to this replica, at most: from the earliest local time
     * the decision can have been made to its handling here.
     */
    synchronized void observeWayBack(long wayBackNanos, long nowNanos) {
        if (wayBackNanos > thresholdNanos) {
            wayBack.observe(wayBackNanos, nowNanos);
        }
    }

    /** Notes how long a grant took from its hand-out to its request at the socket, ready to write. */
    synchronized void observeTravel(long travelNanos, long nowNanos) {
        if (travelNanos > thresholdNanos) {
            travel.observe(travelNanos, nowNanos);
        }
    }

    /** The lead of the next call: the way back plus the travel, at most half of max-wait. */
    synchronized long micros(long nowNanos) {
        return Math.min(maxNanos, wayBack.at(nowNanos) + travel.at(nowNanos)) / 1_000;
    }

    /** How long before its slot a grant is handed out: the travel, at most half of max-wait, or the configured lead. */
    synchronized long handOutNanos(long nowNanos) {
        return Math.max(handOutNanos, Math.min(maxNanos, travel.at(nowNanos)));
    }
}
