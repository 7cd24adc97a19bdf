package io.payegress.filters.budget;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Events per second per tenant at one replica (grants handed out, requests offered), estimated over the last period
 * from two buckets of one period each: the previous bucket weighted by how much of it still lies in the last period,
 * plus the current one, divided by the period. A longer period smooths a replica's bursts (a stalled event loop reads
 * what queued meanwhile at once) at the price of noticing a change later. Not thread-safe.
 */
final class TenantRate {

    private static final class Buckets {
        long start;
        long current;
        long previous;
    }

    private final long periodNanos;
    private final Map<String, Buckets> tenants = new HashMap<>();

    /** A rate over the last second. */
    TenantRate() {
        this(Duration.ofSeconds(1));
    }

    TenantRate(Duration period) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodNanos = period.toNanos();
    }

    void record(String tenant, long nowNanos) {
        record(tenant, nowNanos, nowNanos);
    }

    /**
     * Records an event that happened at {@code atNanos}, up to a period before {@code nowNanos} (a request read late):
     * in the bucket it falls in; one older than the previous bucket is past the estimate and dropped.
     */
    void record(String tenant, long atNanos, long nowNanos) {
        Buckets buckets = roll(tenants.computeIfAbsent(tenant, t -> fresh(atNanos)), nowNanos);
        if (atNanos >= buckets.start) {
            buckets.current++;
        } else if (atNanos >= buckets.start - periodNanos) {
            buckets.previous++;
        }
    }

    double perSecond(String tenant, long nowNanos) {
        Buckets buckets = tenants.get(tenant);
        if (buckets == null) {
            return 0;
        }
        roll(buckets, nowNanos);
        double elapsed = (double) (nowNanos - buckets.start) / periodNanos;
        return (buckets.previous * (1 - elapsed) + buckets.current) * 1e9 / periodNanos;
    }

    /** Forgets a tenant with nothing in its last two periods. */
    void forgetIdle(String tenant, long nowNanos) {
        Buckets buckets = tenants.get(tenant);
        if (buckets != null && roll(buckets, nowNanos).previous == 0 && buckets.current == 0) {
            tenants.remove(tenant);
        }
    }

    private static Buckets fresh(long nowNanos) {
        Buckets buckets = new Buckets();
        buckets.start = nowNanos;
        return buckets;
    }

    private Buckets roll(Buckets buckets, long nowNanos) {
        long passed = (nowNanos - buckets.start) / periodNanos;
        if (passed >= 1) {
            buckets.previous = passed == 1 ? buckets.current : 0;
            buckets.current = 0;
            buckets.start += passed * periodNanos;
        }
        return buckets;
    }
}
