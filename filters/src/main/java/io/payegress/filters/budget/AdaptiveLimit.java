package io.payegress.filters.budget;

/**
 * The effective limit after upstream 429 feedback (AIMD): each throttling signal multiplies the limit by a factor,
 * at most once per cooldown, never below the floor; between signals it grows back linearly to the configured limit.
 * The budget script keeps the same state in Redis; this class is its reference and the degraded mode's copy.
 */
public final class AdaptiveLimit {

    private final double max;
    private final double floor;
    private final double recoveryPerSecond;
    private final double decreaseFactor;
    private final long cooldownMicros;
    private double value;
    private long updatedAtMicros;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;

    /** A limit at {@code max} at time {@code nowMicros}. */
    public AdaptiveLimit(
            double max,
            double floor,
            double recoveryPerSecond,
            double decreaseFactor,
            long cooldownMicros,
            long nowMicros) {
        if (floor < 1 || floor > max || decreaseFactor <= 0 || decreaseFactor >= 1 || recoveryPerSecond < 0) {
            throw new IllegalArgumentException("need 1 <= floor <= max, 0 < factor < 1, recovery >= 0");
        }
        this.max = max;
        this.floor = floor;
        this.recoveryPerSecond = recoveryPerSecond;
        this.decreaseFactor = decreaseFactor;
        this.cooldownMicros = cooldownMicros;
        this.value = max;
        this.updatedAtMicros = nowMicros;
    }

    /** The effective limit at the given time. */
    public double at(long nowMicros) {
        double elapsedSeconds = Math.max(0, nowMicros - updatedAtMicros) / 1e6;
        return Math.min(max, value + recoveryPerSecond * elapsedSeconds);
    }

    /** Records an upstream throttling signal; returns the new effective limit. */
    public double throttled(long nowMicros) {
        double current = at(nowMicros);
        if (nowMicros - lastDecreaseMicros >= cooldownMicros) {
            current = Math.max(floor, current * decreaseFactor);
            lastDecreaseMicros = nowMicros;
        }
        value = current;
        updatedAtMicros = nowMicros;
        return current;
    }
}
