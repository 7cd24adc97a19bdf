package io.payegress.filters.budget;

import java.util.Arrays;

/**
 * A high quantile of the last observations made within a horizon: the value all but the given fraction of them stay
 * under. Unlike a decaying maximum, one outlier does not hold it up; a slow spell moves it at once (when more than the
 * fraction of observations are slow) and leaves it when the observations after it are quick or older than the horizon.
 * With fewer observations than one over the fraction it is their maximum. Not thread-safe (guarded by its owner).
 */
final class RecentQuantile {

    private final long[] values;
    private final long[] times;
    private final long horizonNanos;
    private final double quantile;
    private final long[] scratch;
    private int next;
    private int size;

    /**
     * @param capacity how many of the last observations count, at most
     * @param horizonNanos how long an observation counts, at most
     * @param quantile the quantile, for example 0.99
     */
    RecentQuantile(int capacity, long horizonNanos, double quantile) {
        if (capacity < 1 || horizonNanos <= 0 || quantile <= 0 || quantile > 1) {
            throw new IllegalArgumentException("need capacity >= 1, horizon > 0 and 0 < quantile <= 1");
        }
        this.values = new long[capacity];
        this.times = new long[capacity];
        this.scratch = new long[capacity];
        this.horizonNanos = horizonNanos;
        this.quantile = quantile;
    }

    /** Takes an observation made at {@code nowNanos}. */
    void observe(long value, long nowNanos) {
        values[next] = value;
        times[next] = nowNanos;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The quantile of the observations within the horizon before {@code nowNanos}; zero when there are none. */
    long at(long nowNanos) {
        int counted = 0;
        for (int i = 0; i < size; i++) {
            if (nowNanos - times[i] <= horizonNanos) {
                scratch[counted++] = values[i];
            }
        }
        if (counted == 0) {
            return 0;
        }
        Arrays.sort(scratch, 0, counted);
        int index = (int) Math.ceil(quantile * counted) - 1;
        return scratch[Math.max(0, Math.min(counted - 1, index))];
    }
}
