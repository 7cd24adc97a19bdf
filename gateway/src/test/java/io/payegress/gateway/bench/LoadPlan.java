package io.payegress.gateway.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one load run does: which gateways and simulator, how many tenants offer how much, whether tenants are pinned
 * to one gateway, how long to warm up and measure, an optional change of the simulator's limit mid-run and an
 * optional step of the offered rate mid-run (overload, then back under the limit).
 *
 * @param tenantRates offered calls per second per tenant, by tenant id ({@code bench-01}...)
 * @param simulatorLimitChange seconds into the measured run and the simulator limit to set then (or null)
 * @param step when the offered rate steps to another total, and to which (null: it stays)
 */
record LoadPlan(
        List<URI> gateways,
        URI simulator,
        Map<String, Double> tenantRates,
        boolean pinned,
        Duration warmUp,
        Duration duration,
        int simulatorLimit,
        int[] simulatorLimitChange,
        @Nullable Step step) {

    /** From {@code atSecond} into the measured run on, the tenants offer {@code rate} calls/s in all, in proportion. */
    record Step(long atSecond, double rate) {}

    static final String TENANT_PREFIX = "bench-";
    static final String KEY_PREFIX = "bench-key-";

    /**
     * Reads {@code --key=value} arguments: gateways (comma-separated URLs), simulator, rate (total calls/s, split
     * equally), tenants (count), light (tenant:rate, taken out of the total first), pinned, warmup and duration
     * (seconds), limit (the simulator's), limit-change (second:limit), step (second:rate, the total offered from that
     * second of the measured run on).
     */
    static LoadPlan parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        List<URI> gateways = new ArrayList<>();
        for (String url :
                options.getOrDefault("gateways", "http://127.0.0.1:8180").split(",")) {
            gateways.add(URI.create(url.trim()));
        }
        double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
        int tenants = Integer.parseInt(options.getOrDefault("tenants", "20"));
        Map<String, Double> rates = new java.util.TreeMap<>();
        String light = options.get("light");
        if (light != null) {
            String[] parts = light.split(":");
            double lightRate = Double.parseDouble(parts[1]);
            rates.put(tenantId(Integer.parseInt(parts[0])), lightRate);
            rate -= lightRate;
        }
        int busy = tenants - rates.size();
        for (int i = 1; i <= tenants; i++) {
            rates.putIfAbsent(tenantId(i), rate / busy);
        }
        String change = options.get("limit-change");
        int[] limitChange = change == null
                ? new int[0]
                : new int[] {Integer.parseInt(change.split(":")[0]), Integer.parseInt(change.split(":")[1])};
        String stepOption = options.get("step");
        Step step = stepOption == null
                ? null
                : new Step(
                        Long.parseLong(stepOption.split(":")[0]),
                        Double.parseDouble(stepOption.split(":")[1]));
        return new LoadPlan(
                gateways,
                URI.create(options.getOrDefault("simulator", "http://127.0.0.1:8190")),
                rates,
                Boolean.parseBoolean(options.getOrDefault("pinned", "false")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "30"))),
                Integer.parseInt(options.getOrDefault("limit", "500")),
                limitChange,
                step);
    }

    static String tenantId(int index) {
        return TENANT_PREFIX + String.format("%02d", index);
    }

    static String apiKey(String tenantId) {
        return KEY_PREFIX + tenantId.substring(TENANT_PREFIX.length());
    }

    double totalRate() {
        return tenantRates.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * How many calls a tenant offering {@code tenantRate} has offered {@code elapsed} seconds into a phase; with
     * {@code stepping}, the plan's step applies (the measured run), else the rate stays (the warm-up).
     */
    double offered(double tenantRate, double elapsed, boolean stepping) {
        if (!stepping || step == null || elapsed <= step.atSecond()) {
            return elapsed * tenantRate;
        }
        double stepped = tenantRate * step.rate() / totalRate();
        return step.atSecond() * tenantRate + (elapsed - step.atSecond()) * stepped;
    }
}
