package io.payegress.simulator.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counts events in fixed buckets of a nanosecond ticker (System.nanoTime: one clock for every process of the host),
 * in a ring that keeps the last {@code slots} buckets: the calls of each of the last seconds, or the accepted calls of
 * the last 300 s in 10 ms buckets, read after the fact between two instants.
 */
final class TickerBuckets {

    private final LongSupplier ticker;
    private final long bucketNanos;
    private final long[] buckets;
    private final long[] counts;

    TickerBuckets(LongSupplier ticker, long bucketNanos, int slots) {
        this.ticker = ticker;
        this.bucketNanos = bucketNanos;
        this.buckets = new long[slots];
        this.counts = new long[slots];
        clear();
    }

    synchronized void increment() {
        long bucket = Math.floorDiv(ticker.getAsLong(), bucketNanos);
        int slot = slot(bucket);
        if (buckets[slot] != bucket) {
            buckets[slot] = bucket;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Events in each of the last {@code n} complete buckets, oldest first. */
    synchronized List<Long> last(int n) {
        long current = Math.floorDiv(ticker.getAsLong(), bucketNanos);
        List<Long> result = new ArrayList<>(n);
        for (long bucket = current - n; bucket < current; bucket++) {
            result.add(count(bucket));
        }
        return result;
    }

    /**
     * Events in the buckets that start at or after {@code fromNanos} and before {@code toNanos} (to a bucket), among
     * those the ring still keeps.
     */
    synchronized long between(long fromNanos, long toNanos) {
        long first = Math.floorDiv(fromNanos + bucketNanos - 1, bucketNanos);
        long last = Math.floorDiv(toNanos - 1, bucketNanos);
        long sum = 0;
        for (long bucket = Math.max(first, last - buckets.length + 1); bucket <= last; bucket++) {
            sum += count(bucket);
        }
        return sum;
    }

    synchronized void clear() {
        Arrays.fill(buckets, Long.MIN_VALUE);
        Arrays.fill(counts, 0);
    }

    private long count(long bucket) {
        int slot = slot(bucket);
        return buckets[slot] == bucket ? counts[slot] : 0L;
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, buckets.length);
    }
}
