package io.payegress.gateway.bench;

import io.payegress.gateway.bench.OpenLoopLoad.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Figures of one run: per-tenant answers and latency, fairness, and what the simulator and the gateways counted. */
final class LoadReport {

    private LoadReport() {}

    /** Jain's fairness index of the values: 1 when all are equal, 1/n when one has everything. */
    static double jain(List<Double> values) {
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        double squares = values.stream().mapToDouble(v -> v * v).sum();
        return squares == 0 ? 1 : sum * sum / (values.size() * squares);
    }

    /** The q-quantile (0..1) of the values, nearest rank; NaN when there are none. */
    static double percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /**
     * Prints the run's headline: the share answered 200, latency of those, and the gateways' process CPU over the
     * calls they answered (Micrometer's {@code process.cpu.time}, summed over the replicas, so stock Spring Cloud
     * Gateway and payegress are measured alike); then the latency of the {@code 429}s (the gateway's refusals, and
     * WeChat's passed on), apart: in a budget that refuses most requests the {@code 200}s are those that waited for
     * room, and their latency says nothing of how fast a refusal comes (session 39 read one for the other).
     */
    static void summary(List<Call> calls, GatewayMeters delta, int replicas) {
        List<Long> okLatency = calls.stream()
                .filter(c -> c.status() == 200)
                .map(c -> c.latencyNanos() / 1_000)
                .toList();
        double cpuSeconds = delta.sum("process_cpu_time_seconds_total") + delta.sum("process_cpu_time_ns_total") / 1e9;
        System.out.printf(
                "summary: %d of %d answered 200 (%.2f%%), p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                        + "gateway CPU %.1f s over %d replicas = %.2f ms per request%n",
                okLatency.size(),
                calls.size(),
                100.0 * okLatency.size() / Math.max(1, calls.size()),
                percentile(okLatency, 0.5) / 1000,
                percentile(okLatency, 0.99) / 1000,
                percentile(okLatency, 1.0) / 1000,
                cpuSeconds,
                replicas,
                1000 * cpuSeconds / Math.max(1, calls.size()));
        List<Long> refusedLatency = calls.stream()
                .filter(c -> c.status() == 429)
                .map(c -> c.latencyNanos() / 1_000)
                .toList();
        if (!refusedLatency.isEmpty()) {
            System.out.printf(
                    "  refused 429: %d, p50 %.1f ms, p99 %.1f ms%n",
                    refusedLatency.size(),
                    percentile(refusedLatency, 0.5) / 1000,
                    percentile(refusedLatency, 0.99) / 1000);
        }
        // the same CPU over the requests the gateways answered in the same window (Spring Cloud Gateway's own count, in
        // both products): a run that fell behind in its warm-up answers warm-up requests in its run too, and its CPU
        // over the run's requests alone reads as a dearer request when it is only more of them
        double answered = delta.sum("spring_cloud_gateway_requests_seconds_count");
        if (answered > 0) {
            System.out.printf(
                    "  gateway CPU over the %.0f requests the gateways answered between the scrapes: %.2f ms per request%n",
                    answered, 1000 * cpuSeconds / answered);
        }
    }

    /**
     * Prints the answers by when they were sent, in windows of {@code seconds}: the share answered 200 and its p50 and
     * p99. A run started at the gateways' readiness (warm-up 0) reads as the time from readiness to a steady p99.
     */
    static void windows(List<Call> calls, long runStartNanos, int seconds) {
        Map<Long, List<Call>> byWindow = calls.stream()
                .collect(Collectors.groupingBy(
                        c -> (c.sentNanos() - runStartNanos) / (seconds * 1_000_000_000L),
                        TreeMap::new,
                        Collectors.toList()));
        System.out.printf("by when sent (%d s windows):%n", seconds);
        byWindow.forEach((window, mine) -> {
            List<Long> okLatency = mine.stream()
                    .filter(c -> c.status() == 200)
                    .map(c -> c.latencyNanos() / 1_000)
                    .toList();
            System.out.printf(
                    "  %3d-%3d s: %5d sent, %6.2f%% answered 200, p50 %8.1f ms, p99 %8.1f ms%n",
                    window * seconds,
                    (window + 1) * seconds,
                    mine.size(),
                    100.0 * okLatency.size() / mine.size(),
                    percentile(okLatency, 0.5) / 1000,
                    percentile(okLatency, 0.99) / 1000);
        });
    }

    /** Prints the per-tenant table and the fairness figures; returns the backlogged tenants' Jain index. */
    static double tenants(LoadPlan plan, Map<String, Integer> weights, List<Call> calls, double durationSeconds) {
        Map<String, List<Call>> byTenant =
                calls.stream().collect(Collectors.groupingBy(Call::tenant, TreeMap::new, Collectors.toList()));
        double fairRate = plan.totalRate() / plan.tenantRates().size();
        List<Double> normalized = new ArrayList<>();
        double weightSum = 0;
        double okSum = 0;
        System.out.printf(
                "%-9s %6s %8s %7s %7s %8s %8s %8s %s%n",
                "tenant", "weight", "offered/s", "ok", "ok/s", "429", "p50 ms", "p99 ms", "other");
        for (Map.Entry<String, List<Call>> entry : byTenant.entrySet()) {
            String tenant = entry.getKey();
            List<Call> mine = entry.getValue();
            List<Long> okLatency = mine.stream()
                    .filter(c -> c.status() == 200)
                    .map(c -> c.latencyNanos() / 1_000)
                    .toList();
            long limited = mine.stream().filter(c -> c.status() == 429).count();
            Map<String, Long> other = mine.stream()
                    .filter(c -> c.status() != 200 && c.status() != 429)
                    .collect(Collectors.groupingBy(
                            c -> c.status() + " " + c.code(), TreeMap::new, Collectors.counting()));
            int weight = weights.getOrDefault(tenant, 1);
            System.out.printf(
                    "%-9s %6d %8.1f %7d %7.1f %8d %8.1f %8.1f %s%n",
                    tenant,
                    weight,
                    plan.tenantRates().get(tenant),
                    okLatency.size(),
                    okLatency.size() / durationSeconds,
                    limited,
                    percentile(okLatency, 0.5) / 1000,
                    percentile(okLatency, 0.99) / 1000,
                    other.isEmpty() ? "" : other);
            if (plan.tenantRates().get(tenant) >= fairRate * 0.999) {
                normalized.add(okLatency.size() / (double) weight);
                weightSum += weight;
                okSum += okLatency.size();
            }
        }
        double index = jain(normalized);
        System.out.printf("backlogged tenants: %d, Jain's index over ok/weight: %.4f%n", normalized.size(), index);
        if (weights.values().stream().distinct().count() > 1) {
            double perWeight = okSum / weightSum;
            for (Map.Entry<String, List<Call>> entry : byTenant.entrySet()) {
                int weight = weights.getOrDefault(entry.getKey(), 1);
                long ok =
                        entry.getValue().stream().filter(c -> c.status() == 200).count();
                System.out.printf(
                        "  %s weight %d: %d ok, ideal %.0f, %+.1f%%%n",
                        entry.getKey(),
                        weight,
                        ok,
                        perWeight * weight,
                        100.0 * (ok - perWeight * weight) / (perWeight * weight));
            }
        }
        return index;
    }

    /** Prints what the gateways' meters added during the run. */
    static void gateways(GatewayMeters delta, GatewayMeters after) {
        Map<String, Double> outcomes = delta.byLabel("payegress_budget_decisions_total", "outcome");
        double granted = outcomes.getOrDefault("admitted", 0.0)
                + outcomes.getOrDefault("waited", 0.0)
                + outcomes.getOrDefault("degraded", 0.0);
        double roundTrips = delta.sum("payegress_budget_redis_roundtrips_total", "store=\"redis\"");
        System.out.printf("gateway decisions: %s%n", outcomes);
        System.out.printf(
                "redis round trips: %.0f (%.3f per granted request), errors %.0f%n",
                roundTrips,
                roundTrips / Math.max(1, granted),
                delta.sum("payegress_budget_redis_roundtrips_total", "result=\"error\""));
        System.out.printf("wasted grants: %s%n", delta.byLabel("payegress_budget_wasted_grants_total", "reason"));
        System.out.printf(
                "grant lag (slot to hand-out, mean): %.1f ms over %.0f grants%n",
                1000
                        * delta.sum("payegress_budget_grant_lag_seconds_sum")
                        / Math.max(1, delta.sum("payegress_budget_grant_lag_seconds_count")),
                delta.sum("payegress_budget_grant_lag_seconds_count"));
        double toDeparture = 1000
                * delta.sum("payegress_budget_slot_to_departure_seconds_sum")
                / Math.max(1, delta.sum("payegress_budget_slot_to_departure_seconds_count"));
        double toAnswer = 1000
                * delta.sum("payegress_budget_slot_to_answer_seconds_sum")
                / Math.max(1, delta.sum("payegress_budget_slot_to_answer_seconds_count"));
        System.out.printf(
                "used grants, from the slot (mean): to the departure %.1f ms over %.0f, to WeChat's answer %.1f ms over %.0f%n",
                toDeparture,
                delta.sum("payegress_budget_slot_to_departure_seconds_count"),
                toAnswer,
                delta.sum("payegress_budget_slot_to_answer_seconds_count"));
        if (toDeparture > 0 && toAnswer > 0) {
            // a used grant counts from its slot until its departure plus the window less the late tolerance (1.05 s
            // with the shipped margins) or its answer plus one second, whichever is sooner, and a saturated budget can
            // use the limit over the mean of that time; the sooner of the two means is at least that mean, so the
            // share printed is at most what the count allows (close where departures and answers vary little)
            // (an answer later than usual by more than 50 ms counts from itself, later than its departure's count:
            // the share of such answers is printed after this line)
            double counted = Math.min(toDeparture + 1050, toAnswer + 1000);
            System.out.printf(
                    "a used grant counts at most about %.0f ms from its slot (shipped margins): a saturated budget can"
                            + " use about %.1f%% of the limit or somewhat more%n",
                    counted, 100_000 / counted);
            System.out.printf(
                    "answers later than usual by more than the margin allows (counted from themselves): %.0f of %.0f%n",
                    delta.sum("payegress_budget_late_answers_total"),
                    delta.sum("payegress_budget_slot_to_answer_seconds_count"));
        }
        System.out.printf(
                "clock uncertainty (width of the bounds on Redis's clock): mean %.1f ms, max %.1f ms; grants given back: %.0f%n",
                1000
                        * delta.sum("payegress_budget_clock_uncertainty_seconds_sum")
                        / Math.max(1, delta.sum("payegress_budget_clock_uncertainty_seconds_count")),
                1000
                        * after.sum("payegress_budget_clock_uncertainty_seconds_max")
                        / Math.max(1, after.sum("payegress_budget_mode")),
                delta.sum("payegress_budget_refunded_grants_total"));
        System.out.printf(
                "budget wait p50 %.1f ms, p99 %.1f ms (bucket upper bounds)%n",
                1000 * delta.quantile("payegress_budget_wait_seconds", 0.5),
                1000 * delta.quantile("payegress_budget_wait_seconds", 0.99));
        System.out.printf(
                "decision round trip (allocation call) p50 %.2f ms, p99 %.2f ms (bucket upper bounds)%n",
                1000 * delta.quantile("payegress_budget_redis_latency_seconds", 0.5),
                1000 * delta.quantile("payegress_budget_redis_latency_seconds", 0.99));
        System.out.printf(
                "signing: shed %s, queue wait p50 %.1f ms, p99 %.1f ms (bucket upper bounds)%n",
                delta.byLabel("payegress_signing_shed_total", "reason"),
                1000 * delta.quantile("payegress_signing_queue_seconds", 0.5),
                1000 * delta.quantile("payegress_signing_queue_seconds", 0.99));
        System.out.printf(
                "effective limit per gateway (sum): %.0f, mode gauges (sum, 1 = shared): %.0f, degradations: %.0f%n",
                after.sum("payegress_budget_effective_limit"),
                after.sum("payegress_budget_mode"),
                delta.sum("payegress_budget_degradations_total"));
    }
}
