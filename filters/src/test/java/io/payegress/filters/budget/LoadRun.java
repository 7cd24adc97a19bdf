package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.tenant.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Open-loop load against several limiters (one per simulated replica): every 5 ms each replica offers its share of
 * the rate, round robin over its tenants, and every grant's time is recorded on this JVM's monotonic clock.
 */
final class LoadRun {

    /** One simulated replica and the tenants whose requests reach it. */
    record Replica(BudgetLimiter limiter, List<Tenant> tenants) {}

    private static final Duration TICK = Duration.ofMillis(5);

    final ConcurrentLinkedQueue<Long> grantNanos = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> grantsPerTenant = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> admittedLatencyNanos = new ConcurrentLinkedQueue<>();
    final AtomicLong offered = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong admitted = new AtomicLong();
    final AtomicLong degraded = new AtomicLong();

    /** Offers {@code perSecond} requests per second in total until {@code until} completes. */
    void run(List<Replica> replicas, int perSecond, Mono<?> until) {
        double perTickPerReplica = perSecond * (TICK.toNanos() / 1e9) / replicas.size();
        List<Flux<Object>> loads = new ArrayList<>();
        for (Replica replica : replicas) {
            AtomicInteger next = new AtomicInteger();
            double[] carry = {0};
            loads.add(Flux.interval(TICK)
                    .onBackpressureDrop()
                    .flatMap(
                            tick -> {
                                carry[0] += perTickPerReplica;
                                int now = (int) carry[0];
                                carry[0] -= now;
                                return Flux.range(0, now)
                                        .flatMap(i -> one(replica, next.getAndIncrement()), Integer.MAX_VALUE);
                            },
                            Integer.MAX_VALUE));
        }
        Flux.merge(loads).takeUntilOther(until).blockLast();
    }

    private Mono<Object> one(Replica replica, int sequence) {
        Tenant tenant =
                replica.tenants().get(Math.floorMod(sequence, replica.tenants().size()));
        offered.incrementAndGet();
        return replica.limiter()
                .acquire("coupons-use", tenant, null)
                .doOnNext(permit -> {
                    grantNanos.add(System.nanoTime());
                    grantsPerTenant
                            .computeIfAbsent(tenant.id().value(), t -> new AtomicInteger())
                            .incrementAndGet();
                    admitted.incrementAndGet();
                    if (permit.outcome() == Outcome.ADMITTED) {
                        admittedLatencyNanos.add(permit.waited().toNanos());
                    }
                    if (permit.outcome() == Outcome.DEGRADED) {
                        degraded.incrementAndGet();
                    }
                })
                .<Object>map(permit -> permit)
                .onErrorResume(GatewayRejection.class, e -> {
                    rejected.incrementAndGet();
                    return Mono.empty();
                });
    }

    /** The most grants in any sliding window of the given length. */
    int maxInAnyWindow(Duration window) {
        List<Long> times = sortedGrants();
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= window.toNanos()) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /** Grants between {@code from} and {@code to} after the first grant. */
    long grantsBetween(Duration from, Duration to) {
        List<Long> times = sortedGrants();
        if (times.isEmpty()) {
            return 0;
        }
        long origin = times.get(0);
        return times.stream()
                .filter(t -> t - origin >= from.toNanos() && t - origin < to.toNanos())
                .count();
    }

    /** Jain's fairness index of the grants per tenant (1 = perfectly even). */
    double jainIndex(List<String> tenants) {
        double sum = 0;
        double squares = 0;
        for (String tenant : tenants) {
            int x = grantsPerTenant.getOrDefault(tenant, new AtomicInteger()).get();
            sum += x;
            squares += (double) x * x;
        }
        return squares == 0 ? 0 : sum * sum / (tenants.size() * squares);
    }

    /** The given percentile (0-100) of the decision latency of requests granted without waiting, in micros. */
    double admittedLatencyMicros(double percentile) {
        List<Long> latencies = new ArrayList<>(admittedLatencyNanos);
        if (latencies.isEmpty()) {
            return 0;
        }
        Collections.sort(latencies);
        int index = (int) Math.min(latencies.size() - 1, Math.ceil(percentile / 100 * latencies.size()) - 1);
        return latencies.get(Math.max(0, index)) / 1e3;
    }

    private List<Long> sortedGrants() {
        List<Long> times = new ArrayList<>(grantNanos);
        Collections.sort(times);
        return times;
    }
}
