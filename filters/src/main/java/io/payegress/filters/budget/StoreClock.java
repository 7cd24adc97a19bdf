package io.payegress.filters.budget;

/**
 * Bounds on the offset between a budget store's clock and this JVM's monotonic clock, kept NTP-style from the
 * allocation calls themselves. A call sent at {@code sent} and answered at {@code received} was decided at some
 * local instant between the two, so the store's reading pins the offset to an interval as wide as the round trip.
 * The bounds are the intersection of those intervals over time, each widened by a drift allowance for the time
 * since it was taken; when a fresh interval misses them (the store's clock stepped), they restart from it.
 *
 * <p>A grant's slot, in store time, becomes an interval in local time: the limiter releases the grant at its latest
 * end (never before the real slot) and measures lateness from its earliest end (never less than the real lateness).
 * Without history this is exactly the call's own interval: release {@code delay} after the answer, lateness from
 * {@code delay} after sending. Not thread-safe: the limiter calls it under its state's monitor.
 */
final class StoreClock {

    /**
     * How fast the two clocks may drift apart, 1,000 ppm: NTP slews a Linux clock by at most 500 ppm, so two hosts
     * disciplined independently part at most twice that (crystal error is tens of ppm and is what NTP corrects); a
     * step (a set clock) is caught apart, when a call's interval misses the bounds. A larger allowance buys no safety
     * and widens the bounds by that much more per second between fast calls: at 5,000 ppm a starved replica's bounds
     * grew wider than the late tolerance and every grant it got was late.
     */
    static final double DRIFT = 1e-3;

    private boolean known;
    private long low;
    private long high;
    /** The earliest local instant the bounds can refer to: the sending of the last call. */
    private long at;

    private long steps;

    /**
     * Takes one call's reading and returns the offset bounds (store nanos minus local nanos) after it.
     *
     * @param sentNanos local time the call was sent
     * @param receivedNanos local time its answer was handled
     * @param storeNanos the store's clock when it decided, in nanoseconds
     */
    Offset sample(long sentNanos, long receivedNanos, long storeNanos) {
        long sampleLow = storeNanos - receivedNanos;
        long sampleHigh = storeNanos - sentNanos;
        if (known) {
            long widen = (long) Math.ceil((receivedNanos - at) * DRIFT) + 1;
            long newLow = Math.max(low - widen, sampleLow);
            long newHigh = Math.min(high + widen, sampleHigh);
            if (newLow <= newHigh) {
                low = newLow;
                high = newHigh;
            } else {
                low = sampleLow;
                high = sampleHigh;
                steps++;
            }
        } else {
            low = sampleLow;
            high = sampleHigh;
            known = true;
        }
        at = sentNanos;
        return new Offset(low, high);
    }

    /** How often the store's clock was found to have stepped outside the bounds. */
    long steps() {
        return steps;
    }

    /** The offset of the store's clock from the local one lies within {@code [low, high]} nanoseconds. */
    record Offset(long low, long high) {

        /** The earliest local time the store instant can be (where a grant's lateness is measured from). */
        long earliestLocal(long storeNanos) {
            return storeNanos - high;
        }

        /** The latest local time the store instant can be (when a grant may be used without being early). */
        long latestLocal(long storeNanos) {
            return storeNanos - low;
        }

        long uncertaintyNanos() {
            return high - low;
        }
    }
}
