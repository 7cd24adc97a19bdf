package io.payegress.filters.budget;

/**
 * How far after the store's now a call's earliest slot must be, and how long before its slot a grant is handed to its
 * request. Two parts, at most half of max-wait together:
 *
 * <ul>
 *   <li>The way back: the longest recent time from the store's decision to this replica (halving each second), when
 *       it is more than half the late tolerance. A grant made at once reaches its request late by the answer's way
 *       back; on a starved replica, whose round trips outgrow the late tolerance, every such grant would be given back
 *       and asked for again.
 *   <li>The travel: the {@link #TRAVEL_QUANTILE} of the recent times from a grant's hand-out to its request at the
 *       socket (signing, a connection). A grant counts in the limit from its decision until its request's departure is
 *       known; with its slot at the decision, a request that needs 300 ms to be signed holds 300 ms of the window for
 *       nothing, and at 400/s that is a fifth of the limit. With the travel in the lead, the slot is when the request
 *       will be ready, the grant is handed out that much before it, and the request leaves at its slot.
 * </ul>
 *
 * <p>Safety does not depend on it (slots only move later). A replica whose answers come back within half the tolerance
 * and whose requests reach the socket at once has the configured lead only. A later slot does not make a late timer or
 * event loop any faster: what remains late is paid for by the {@link Tolerance}. Thread-safe.
 */
final class Lead {

    /** The share of recent requests the travel part covers; the rest leave a little late, within the tolerance. */
    static final double TRAVEL_QUANTILE = 0.9;

    private static final int TRAVEL_OBSERVATIONS = 256;
    private static final long TRAVEL_HORIZON_NANOS = 5_000_000_000L;

    private final long thresholdNanos;
    private final long maxNanos;
    private final DecayingMax wayBack = new DecayingMax();
    private final RecentQuantile travel =
            new RecentQuantile(TRAVEL_OBSERVATIONS, TRAVEL_HORIZON_NANOS, TRAVEL_QUANTILE);

    Lead(BudgetSettings settings) {
        this.thresholdNanos = settings.lateTolerance().toNanos() / 2;
        this.maxNanos = settings.maxWait().toNanos() / 2;
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

    /** Notes how long a request took from its grant's hand-out to the socket. */
    synchronized void observeTravel(long travelNanos, long nowNanos) {
        travel.observe(Math.max(0, travelNanos), nowNanos);
    }

    /** The lead of the next call: the way back and the travel, at most half of max-wait. */
    synchronized long micros(long nowNanos) {
        return Math.min(maxNanos, wayBack.at(nowNanos) + travel.at(nowNanos)) / 1_000;
    }

    /** How long before its slot a grant goes to its request: the travel, at least {@code configuredNanos}. */
    synchronized long handOutNanos(long nowNanos, long configuredNanos) {
        return Math.max(configuredNanos, Math.min(maxNanos, travel.at(nowNanos)));
    }
}
