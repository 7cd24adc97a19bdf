package io.payegress.filters.budget;

/**
 * The largest of recent observations, halving each half-life (a second by default) since it was made: follows a slow
 * spell at once and forgets it within a few half-lives. Not thread-safe (guarded by the limiter's state).
 */
final class DecayingMax {

    private final double halfLifeNanos;
    private long value;
    private long at;

    /** Halving each second. */
    DecayingMax() {
        this(1_000_000_000L);
    }

    DecayingMax(long halfLifeNanos) {
        this.halfLifeNanos = halfLifeNanos;
    }

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
        return (long) (value * Math.pow(0.5, Math.max(0, nowNanos - at) / halfLifeNanos));
    }
}
