package io.payegress.filters.budget;

/**
 * The largest of recent observations, halving each second since it was made: follows a slow spell at once and
 * forgets it within seconds. Not thread-safe (guarded by the limiter's state).
 */
final class DecayingMax {

    private static final double HALF_LIFE_NANOS = 1e9;

    private long value;
    private long at;

    /** Takes an observation made at {@code nowNanos}; returns the maximum after it. */
    long observe(long observed, long nowNanos) {
        value = Math.max(observed, decayed(nowNanos));
        at = nowNanos;
        return value;
    }

    /** The maximum as of {@code nowNanos}. */
    long at(long nowNanos) {
        return decayed(nowNanos);
    }

    private long decayed(long nowNanos) {
        return (long) (value * Math.pow(0.5, Math.max(0, nowNanos - at) / HALF_LIFE_NANOS));
    }
}
