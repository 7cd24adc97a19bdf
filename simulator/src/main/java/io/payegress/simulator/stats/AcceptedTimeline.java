package io.payegress.simulator.stats;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Accepted calls by when the simulator read them, in 10 ms buckets of its nanosecond ticker over the last 300 s: how
 * many fell between two instants of the host's monotonic clock, read after the fact. A benchmark's use of the limit is
 * then counted over exactly its run, however late its own stats calls come (on a starved machine they came seconds
 * late and counted the drain as part of the run).
 */
final class AcceptedTimeline {

    private static final long BUCKET_NANOS = 10_000_000L;
    private static final int BUCKETS = 30_000;

    private final LongSupplier ticker;
    private final long[] buckets = new long[BUCKETS];
    private final long[] counts = new long[BUCKETS];

    AcceptedTimeline(LongSupplier ticker) {
        this.ticker = ticker;
        clear();
    }

    synchronized void accepted() {
        long bucket = Math.floorDiv(ticker.getAsLong(), BUCKET_NANOS);
        int slot = (int) Math.floorMod(bucket, BUCKETS);
        if (buckets[slot] != bucket) {
            buckets[slot] = bucket;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /**
     * Accepted calls read at or after {@code fromNanos} and before {@code toNanos}, to a bucket: a bucket counts when
     * its start lies in the interval. Only the last 300 s are kept.
     */
    synchronized long between(long fromNanos, long toNanos) {
        long first = Math.floorDiv(fromNanos + BUCKET_NANOS - 1, BUCKET_NANOS);
        long last = Math.floorDiv(toNanos - 1, BUCKET_NANOS);
        long sum = 0;
        for (long bucket = Math.max(first, last - BUCKETS + 1); bucket <= last; bucket++) {
            int slot = (int) Math.floorMod(bucket, BUCKETS);
            if (buckets[slot] == bucket) {
                sum += counts[slot];
            }
        }
        return sum;
    }

    synchronized void clear() {
        Arrays.fill(buckets, Long.MIN_VALUE);
        Arrays.fill(counts, 0);
    }
}
