package io.payegress.filters.budget;

import java.util.HashMap;
import java.util.Map;

/**
 * Grants per second per tenant at one replica, estimated from two one-second buckets (the previous bucket weighted
 * by how much of it still lies in the last second, plus the current one). Not thread-safe.
 */
final class GrantRate {

    private static final long SECOND = 1_000_000_000L;

    private static final class Buckets {
        long start;
        long current;
        long previous;
    }

    private final Map<String, Buckets> tenants = new HashMap<>();

    void record(String tenant, long nowNanos) {
        Buckets buckets = roll(tenants.computeIfAbsent(tenant, t -> fresh(nowNanos)), nowNanos);
        buckets.current++;
    }

    double perSecond(String tenant, long nowNanos) {
        Buckets buckets = tenants.get(tenant);
        if (buckets == null) {
            return 0;
        }
        roll(buckets, nowNanos);
        double elapsed = (double) (nowNanos - buckets.start) / SECOND;
        return buckets.previous * (1 - elapsed) + buckets.current;
    }

    private static Buckets fresh(long nowNanos) {
        Buckets buckets = new Buckets();
        buckets.start = nowNanos;
        return buckets;
    }

    private static Buckets roll(Buckets buckets, long nowNanos) {
        long passed = (nowNanos - buckets.start) / SECOND;
        if (passed >= 1) {
            buckets.previous = passed == 1 ? buckets.current : 0;
            buckets.current = 0;
            buckets.start += passed * SECOND;
        }
        return buckets;
    }
}
