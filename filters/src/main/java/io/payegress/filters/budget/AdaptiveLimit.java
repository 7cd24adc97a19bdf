package io.payegress.filters.budget;

/**
 * The effective limit after upstream 429 feedback (AIMD): each throttling signal multiplies the limit by a factor,
 * at most once per cooldown, never below the floor; between signals it grows back linearly to the configured limit.
 * A signal also remembers where it came: for {@link #CEILING_HOLD_MICROS} the limit grows back only to
 * {@link #CEILING_FACTOR} of that level, so a quota shared with another system is found and kept instead of probed
 * again every few seconds with refused calls. The budget script keeps the same state in Redis; this class is its
 * reference and the degraded mode's copy.
 */
public final class AdaptiveLimit {

    /** Recovery stops at this fraction of the limit at which the last throttling signal came. */
    public static final double CEILING_FACTOR = 0.95;

    /** How long that ceiling holds before the limit may grow back to the configured one. */
    public static final long CEILING_HOLD_MICROS = 60_000_000L;

    private final double max;
    private final double floor;
    private final double recoveryPerSecond;
    private final double decreaseFactor;
    private final long cooldownMicros;
    private double value;
    private long updatedAtMicros;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;
    private double ceiling;
    private long ceilingUntilMicros = Long.MIN_VALUE;

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
        double cap = nowMicros < ceilingUntilMicros ? Math.min(max, ceiling) : max;
        return Math.min(cap, value + recoveryPerSecond * elapsedSeconds);
    }

    /** Records an upstream throttling signal; returns the new effective limit. */
    public double throttled(long nowMicros) {
        double current = at(nowMicros);
        if (nowMicros - lastDecreaseMicros >= cooldownMicros) {
            ceiling = Math.max(floor, current * CEILING_FACTOR);
            ceilingUntilMicros = nowMicros + CEILING_HOLD_MICROS;
            current = Math.max(floor, current * decreaseFactor);
            lastDecreaseMicros = nowMicros;
        }
        value = current;
        updatedAtMicros = nowMicros;
        return current;
    }
}
