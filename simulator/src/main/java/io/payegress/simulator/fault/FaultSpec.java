package io.payegress.simulator.fault;

import org.jspecify.annotations.Nullable;

/**
 * One fault to inject: its type and phase, how many matching calls it hits ({@link #UNTIL_CLEARED} for all until
 * cleared), the latency for LATENCY, an optional request path it is limited to (null: every API path), and the
 * probability with which it hits a matching call (1: every one; a call it spares does not use up its count).
 */
public record FaultSpec(
        FaultType type,
        FaultPhase phase,
        int count,
        long latencyMs,
        @Nullable String path,
        double probability) {

    /** The count meaning "every matching call until the faults are cleared". */
    public static final int UNTIL_CLEARED = -1;

    public FaultSpec {
        if (count == 0 || count < UNTIL_CLEARED) {
            throw new IllegalArgumentException("count must be positive or UNTIL_CLEARED: " + count);
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must be >= 0: " + latencyMs);
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
        }
    }

    /** A fault that hits every matching call, up to its count. */
    public FaultSpec(FaultType type, FaultPhase phase, int count, long latencyMs, @Nullable String path) {
        this(type, phase, count, latencyMs, path, 1.0);
    }

    /** Every API call until cleared gets this fault with the given probability (drawn from the plan's seeded random). */
    public static FaultSpec sometimes(double probability, FaultType type, FaultPhase phase) {
        return new FaultSpec(type, phase, UNTIL_CLEARED, 0, null, probability);
    }

    /** The next {@code count} API calls get this fault. */
    public static FaultSpec next(int count, FaultType type, FaultPhase phase) {
        return new FaultSpec(type, phase, count, 0, null);
    }

    /** Every API call gets this fault until {@link FaultPlan#clear()}. */
    public static FaultSpec untilCleared(FaultType type, FaultPhase phase) {
        return new FaultSpec(type, phase, UNTIL_CLEARED, 0, null);
    }

    /** The next {@code count} API calls (or all, with UNTIL_CLEARED) are answered {@code millis} later. */
    public static FaultSpec latency(long millis, int count) {
        return new FaultSpec(FaultType.LATENCY, FaultPhase.BEFORE, count, millis, null);
    }

    /** This fault limited to one request path. */
    public FaultSpec onPath(String requestPath) {
        return new FaultSpec(type, phase, count, latencyMs, requestPath, probability);
    }

    boolean matches(String requestPath) {
        return path == null || path.equals(requestPath);
    }
}
