package io.payegress.filters.budget;

/**
 * What one budget reports for health details: whether it is shared through Redis or degraded to a local share,
 * its effective limit, the live replicas last seen, how many requests wait and how often it degraded.
 */
public record BudgetHealth(
        String budget, Mode mode, int effectiveLimit, int liveReplicas, int waiting, long degradations) {

    /** How a budget currently decides. */
    public enum Mode {
        /** Decided by the Redis script, shared by all replicas. */
        SHARED,
        /** Redis is unreachable: this replica grants its share of the limit (or nothing, per policy). */
        DEGRADED
    }
}
