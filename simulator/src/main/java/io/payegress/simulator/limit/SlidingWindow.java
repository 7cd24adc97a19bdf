package io.payegress.simulator.limit;

import java.util.ArrayDeque;

/**
 * Exact count of events in the sliding one-second window (half-open: an event at t counts until t + 1 s) and the
 * maximum that count ever reached. Not thread-safe; {@link SlidingWindowLimiter} guards it.
 */
final class SlidingWindow {

    static final long WINDOW_NANOS = 1_000_000_000L;

    private final ArrayDeque<Long> times = new ArrayDeque<>();
    private int max;

    /** Number of events in the window ending at {@code now}, not counting a new one. */
    int countAt(long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.pollFirst();
        }
        return times.size();
    }

    /** Records an event at {@code now} and returns the window count including it. */
    int record(long now) {
        int count = countAt(now) + 1;
        times.addLast(now);
        max = Math.max(max, count);
        return count;
    }

    int max() {
        return max;
    }

    void clear() {
        times.clear();
        max = 0;
    }
}
