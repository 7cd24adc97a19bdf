package io.payegress.simulator.limit;

import java.util.function.LongSupplier;

/**
 * WeChat's limit as the simulator enforces it: a strict sliding one-second window over accepted calls, so no window
 * of one second ever holds more than the limit. Also keeps the exact maximum of arrivals and of accepted calls in any
 * sliding second. Time comes from a nanosecond ticker (System::nanoTime by default, a manual one in tests).
 */
public final class SlidingWindowLimiter {

    private final LongSupplier ticker;
    private final SlidingWindow arrivals = new SlidingWindow();
    private final SlidingWindow accepted = new SlidingWindow();
    private int limit;
    private long sinceNanos;
    private long firstOverNanos = -1;

    public SlidingWindowLimiter(int limitPerSecond, LongSupplier ticker) {
        this.ticker = ticker;
        this.sinceNanos = ticker.getAsLong();
        setLimit(limitPerSecond);
    }

    /** Records an arrival and accepts it when fewer than the limit were accepted in the last second. */
    public synchronized boolean tryAcquire() {
        long now = ticker.getAsLong();
        if (arrivals.record(now) > limit && firstOverNanos < 0) {
            firstOverNanos = now;
        }
        if (accepted.countAt(now) >= limit) {
            return false;
        }
        accepted.record(now);
        return true;
    }

    /** Changes the limit at runtime; calls already accepted stay in the window. */
    public synchronized void setLimit(int limitPerSecond) {
        if (limitPerSecond < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limitPerSecond);
        }
        this.limit = limitPerSecond;
    }

    public synchronized int limit() {
        return limit;
    }

    /** The maximum number of arrivals seen in any sliding one-second window. */
    public synchronized int maxArrivalsInAnySecond() {
        return arrivals.max();
    }

    /** The maximum number of accepted calls in any sliding one-second window (never above the limit in force). */
    public synchronized int maxAcceptedInAnySecond() {
        return accepted.max();
    }

    /**
     * When the first sliding second holding more arrivals than the limit ended: milliseconds after the start or the
     * last reset, -1 when none did. Tells an excess at a moment of the benchmark (its start, its end) from one amid
     * the load.
     */
    public synchronized long firstOverLimitMillis() {
        return firstOverNanos < 0 ? -1 : (firstOverNanos - sinceNanos) / 1_000_000;
    }

    /** Forgets every arrival, both maxima and the first excess (the limit stays). */
    public synchronized void reset() {
        arrivals.clear();
        accepted.clear();
        sinceNanos = ticker.getAsLong();
        firstOverNanos = -1;
    }
}
