package io.payegress.filters.budget;

import java.util.HashMap;
import java.util.Map;

/**
 * Requests per tenant counted by when they reached this host, in buckets of {@link #BUCKET_NANOS} over the last
 * {@link #SPAN_NANOS}, so that a rate can be taken as of any time in the span. A replica reads its connections in
 * about the order their requests came, so every request that came before the last one read has been read: a rate taken
 * as of that request's arrival ({@link #asOf}) is complete, where one taken as of now would miss what still waits
 * unread in the kernel on a replica that is behind, and would show a replica that reads ten requests a second out
 * of a hundred that come as offering ten. Not thread-safe.
 */
final class ArrivalLog {

    static final long BUCKET_NANOS = 100_000_000L;
    private static final int BUCKETS = 100;
    static final long SPAN_NANOS = BUCKET_NANOS * BUCKETS;

    private static final class Ring {
        final long[] bucket = new long[BUCKETS];
        final int[] count = new int[BUCKETS];
        long latest = Long.MIN_VALUE;

        Ring() {
            java.util.Arrays.fill(bucket, Long.MIN_VALUE);
        }
    }

    private final Map<String, Ring> tenants = new HashMap<>();
    private long lastRead = Long.MIN_VALUE;

    /** A request of the tenant, read now, that reached this host at {@code arrivedNanos}. */
    void record(String tenant, long arrivedNanos) {
        lastRead = arrivedNanos;
        Ring ring = tenants.computeIfAbsent(tenant, t -> new Ring());
        long b = Math.floorDiv(arrivedNanos, BUCKET_NANOS);
        int i = (int) Math.floorMod(b, (long) BUCKETS);
        if (ring.bucket[i] != b) {
            if (ring.bucket[i] > b) {
                return; // older than the span
            }
            ring.bucket[i] = b;
            ring.count[i] = 0;
        }
        ring.count[i]++;
        ring.latest = Math.max(ring.latest, b);
    }

    /** The time every request that came before has been read: the arrival of the last one read, never after now. */
    long asOf(long nowNanos) {
        return lastRead == Long.MIN_VALUE ? nowNanos : Math.min(nowNanos, lastRead);
    }

    /**
     * The tenant's requests per second over the {@code periodNanos} (at most the span) up to {@code asOfNanos}: the
     * buckets in that period, the oldest weighted by how much of it lies inside.
     */
    double perSecond(String tenant, long periodNanos, long asOfNanos) {
        Ring ring = tenants.get(tenant);
        if (ring == null) {
            return 0;
        }
        long start = asOfNanos - periodNanos;
        long first = Math.floorDiv(start, BUCKET_NANOS);
        long last = Math.floorDiv(asOfNanos, BUCKET_NANOS);
        double sum = 0;
        for (long b = first; b <= last; b++) {
            int i = (int) Math.floorMod(b, (long) BUCKETS);
            if (ring.bucket[i] == b) {
                double inside = b == first ? (double) ((b + 1) * BUCKET_NANOS - start) / BUCKET_NANOS : 1;
                sum += ring.count[i] * inside;
            }
        }
        return sum * 1e9 / periodNanos;
    }

    /** Whether the tenant has had no request in the whole span up to now; such a tenant is forgotten. */
    boolean forgetIdle(String tenant, long nowNanos) {
        Ring ring = tenants.get(tenant);
        if (ring == null) {
            return true;
        }
        if (ring.latest < Math.floorDiv(nowNanos - SPAN_NANOS, BUCKET_NANOS)) {
            tenants.remove(tenant);
            return true;
        }
        return false;
    }
}
