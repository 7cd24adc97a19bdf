package io.payegress.filters.budget;

/**
 * How far after the store's now a call's earliest slot must be: the longest recent way back of an answer from the
 * store's decision to this replica (halving each second), when it is more than half the late tolerance, and at most
 * half of max-wait. A grant made at once reaches its request late by the answer's way back; on a starved replica,
 * whose round trips outgrow the late tolerance, every such grant would be given back and asked for again. With the
 * lead it arrives before its slot and the request leaves at the slot: a slow replica answers slower, not with
 * refusals. Safety does not depend on it (slots only move later). On a replica whose answers come back within half the
 * tolerance it is zero. Only the way back is fed into it: a later slot does not make a late timer or event loop any
 * faster (that is what the {@link Tolerance} pays for). Thread-safe.
 */
final class Lead {

    private final long thresholdNanos;
    private final long maxNanos;
    private final DecayingMax wayBack = new DecayingMax();

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

    /** The lead of the next call. */
    synchronized long micros(long nowNanos) {
        return Math.min(maxNanos, wayBack.at(nowNanos)) / 1_000;
    }
}
