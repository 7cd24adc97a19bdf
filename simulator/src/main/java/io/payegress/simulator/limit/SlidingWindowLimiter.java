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

    public SlidingWindowLimiter(int limitPerSecond, LongSupplier ticker) {
        this.ticker = ticker;
        setLimit(limitPerSecond);
    }

    /** Records an arrival and accepts it when fewer than the limit were accepted in the last second. */
    public synchronized boolean tryAcquire() {
        long now = ticker.getAsLong();
        arrivals.record(now);
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

    /** Forgets every arrival and both maxima (the limit stays). */
    public synchronized void reset() {
        arrivals.clear();
        accepted.clear();
    }
}
