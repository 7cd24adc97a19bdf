package io.payegress.gateway.bench;

import io.payegress.gateway.bench.OpenLoopLoad.Call;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The budget load tool ({@code bench/budget.sh} starts Redis, the simulator and the gateways, then this): warms up,
 * waits for every call of the warm-up to be answered, resets the simulator, drives the gateways open-loop for the run,
 * and prints per-tenant admitted calls, the maximum calls in any sliding second at the simulator, its 429s,
 * utilization, Jain's index, latency and wait percentiles, and the gateways' budget meters. Options: see
 * {@link LoadPlan#parse}, plus {@code weights} (w1,w2,... applied to tenants in order, cyclically; must match the
 * gateways' tenant file) and {@code continuous=true}: the load goes on from the warm-up into the run without a pause,
 * and the simulator's counts are taken from the run's start instead of a reset. Pausing, the gateways' queues empty
 * before the run, whose first seconds are then the onset of the load again; going on, the run sees the state the
 * warm-up led to, and the calls the warm-up left waiting for the load tool's connections delay the run's own
 * (docs/benchmarks.md, session 35).
 */
public final class LoadTool {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LoadTool() {}

    public static void main(String[] args) throws InterruptedException {
        LoadPlan plan = LoadPlan.parse(args);
        Map<String, Integer> weights = weights(args, plan);
        System.out.printf(
                "load: %.0f/s offered by %d tenants through %d gateways (%s), warm-up %ss, run %ss%s, "
                        + "simulator limit %d%s%n",
                plan.totalRate(),
                plan.tenantRates().size(),
                plan.gateways().size(),
                plan.pinned() ? "tenants pinned" : "round robin",
                plan.warmUp().toSeconds(),
                plan.duration().toSeconds(),
                plan.step() == null
                        ? ""
                        : String.format(
                                " (%.0f/s from %ds on)",
                                plan.step().rate(), plan.step().atSecond()),
                plan.simulatorLimit(),
                plan.simulatorLimitChange().length == 0
                        ? ""
                        : ", set to " + plan.simulatorLimitChange()[1] + " at " + plan.simulatorLimitChange()[0] + "s");
        ExecutorService side = Executors.newSingleThreadExecutor();
        try (OpenLoopLoad load = new OpenLoopLoad()) {
            // the simulator serves its admin API on the event loops that read the API calls, and its first admin
            // calls load and compile their code there: traced, the simulator read nothing for 64-285 ms right after
            // the warm-up's admin calls, and the calls that queued meanwhile reached its limit together. Made once
            // before any load, they cost nobody. So is the gateways' first metrics scrape (a Prometheus server scrapes
            // a replica from its start), and the warm-up asks the simulator for its stats every second as the run does:
            // made first at the run's start, their code was loaded and compiled there
            resetSimulator(load, plan);
            long resetAt = System.nanoTime();
            stats(load, plan);
            scrape(load, plan);
            boolean pause = !"true".equals(option(args, "continuous"));
            if (pause) {
                // the warm-up's calls all answered, the simulator reset, then the run from empty gateways (its first
                // seconds the onset of the load again)
                load.run(plan, plan.warmUp(), Duration.ZERO, second -> side.execute(() -> stats(load, plan)));
                resetSimulator(load, plan);
                resetAt = System.nanoTime();
            }
            AtomicReference<JsonNode> atStart = new AtomicReference<>();
            AtomicReference<GatewayMeters> before = new AtomicReference<>();
            AtomicReference<Map<String, Double>> cpuBefore = new AtomicReference<>();
            AtomicReference<JsonNode> atEnd = new AtomicReference<>();
            long seconds = plan.duration().toSeconds();
            ProcessCpu cpu = ProcessCpu.watching(option(args, "watch"));
            if (pause) {
                // the gateways idle: scraped before the run, as the tool always did
                before.set(scrape(load, plan));
                cpuBefore.set(cpu.seconds());
            }
            IntConsumer everySecond = second -> {
                if (second < 0) {
                    side.execute(() -> stats(load, plan));
                    return;
                }
                if (second == 0) {
                    // what bench/budget.sh times its Redis kill from
                    System.out.println("measured run begins");
                    System.out.flush();
                    if (!pause) {
                        // going on, the counts and the meters are taken as the run begins, the load not stopping
                        cpuBefore.set(cpu.seconds());
                        side.execute(() -> {
                            atStart.set(stats(load, plan));
                            before.set(scrape(load, plan));
                        });
                    }
                    return;
                }
                side.execute(() -> {
                    int[] change = plan.simulatorLimitChange();
                    if (change.length == 2 && second == change[0]) {
                        setLimit(load, plan, change[1]);
                    }
                    JsonNode stats = since(stats(load, plan), atStart.get());
                    if (second == seconds) {
                        atEnd.set(stats);
                    }
                    System.out.printf(
                            "  t=%2ds simulator: calls in the last second %s, total accepted %d, 429 %d%n",
                            second, lastSecond(stats), number(stats, "accepted"), number(stats, "rejected_by_limit"));
                });
            };
            OpenLoopLoad.Measured run = pause
                    ? load.run(plan, Duration.ZERO, plan.duration(), everySecond)
                    : load.run(plan, plan.warmUp(), plan.duration(), everySecond);
            long runStart = run.startNanos();
            List<Call> calls = run.calls();
            double runSeconds = (System.nanoTime() - runStart) / 1e9;
            ProcessCpu.print(cpuBefore.get(), cpu.seconds(), runSeconds);
            System.out.printf(
                    "run window nanos: %d %d%n",
                    runStart, runStart + plan.duration().toNanos());
            side.shutdown();
            side.awaitTermination(30, TimeUnit.SECONDS);
            GatewayMeters after = scrape(load, plan);
            long runAfterReset = (runStart - resetAt) / 1_000_000;
            long accepted = acceptedBetween(
                    load, plan, runStart, runStart + plan.duration().toNanos());
            report(
                    plan,
                    weights,
                    calls,
                    atEnd.get(),
                    since(stats(load, plan), atStart.get()),
                    accepted,
                    after.minus(before.get()),
                    after,
                    runAfterReset,
                    !pause);
            LoadReport.windows(calls, runStart, plan.duration().toSeconds() > 30 && plan.step() == null ? 10 : 5);
        }
    }

    private static void report(
            LoadPlan plan,
            Map<String, Integer> weights,
            List<Call> calls,
            JsonNode atEnd,
            JsonNode drained,
            long accepted,
            GatewayMeters delta,
            GatewayMeters after,
            long runAfterReset,
            boolean continuous) {
        double seconds = plan.duration().toSeconds();
        Map<String, Long> statuses = new TreeMap<>();
        calls.forEach(c -> statuses.merge(c.status() + (c.code().isEmpty() ? "" : " " + c.code()), 1L, Long::sum));
        System.out.printf("%nanswers to the load tool (%d calls): %s%n", calls.size(), statuses);
        LoadReport.summary(calls, delta, plan.gateways().size());
        LoadReport.tenants(plan, weights, calls, seconds);
        int limit = plan.simulatorLimitChange().length == 2 ? plan.simulatorLimitChange()[1] : plan.simulatorLimit();
        System.out.printf(
                "simulator during the run: %d calls, %d accepted, %d refused 429 FREQUENCY_LIMITED, "
                        + "max in any sliding second %d (limit %d), utilization %.1f%% of %d/s%n"
                        + "  (accepted: read by the simulator within the run's %d s by the host's clock; calls and "
                        + "429s: its counters when the load tool asked at the run's end, %d accepted then%s)%n",
                number(atEnd, "total_calls"),
                accepted,
                number(atEnd, "rejected_by_limit"),
                number(drained, "max_in_any_sliding_second"),
                plan.simulatorLimit(),
                100.0 * accepted / (plan.simulatorLimit() * seconds),
                plan.simulatorLimit(),
                plan.duration().toSeconds(),
                number(atEnd, "accepted"),
                continuous
                        ? ", less theirs as it asked at the run's start; the most in a sliding second since the warm-up"
                                + " began"
                        : "");
        // the simulator stamps a call when it reads it: its own pause of d puts up to 1 s + d of arrivals in one
        // sliding second, so an excess there is told from the gateways' by this and the departure trace
        System.out.printf(
                "simulator's own collector pauses during the run: %d, longest %d ms"
                        + (continuous ? " (the longest since the warm-up began)" : "")
                        + "%n",
                number(atEnd, "collector_pauses"),
                number(atEnd, "longest_pause_millis"));
        long over = number(drained, "first_over_limit_millis");
        if (over >= 0) {
            // counted from the reset: before the warm-up, or (pausing after it) before the run by the admin calls and
            // the gateways' scrape, no load meanwhile; past the run's duration is the drain, after the load stopped
            long inRun = over - runAfterReset;
            String when = inRun < 0
                    ? (continuous ? "in the warm-up" : "before the run, while the load paused for the admin calls")
                    : inRun < plan.duration().toMillis() ? "during the run" : "in the drain after it";
            System.out.printf(
                    "simulator: the first sliding second over the limit ended %.3f s after the run began (%s; the run"
                            + " began %.3f s after the simulator's reset)%n",
                    inRun / 1000.0, when, runAfterReset / 1000.0);
        }
        if (plan.simulatorLimitChange().length == 2) {
            System.out.printf(
                    "  (limit changed to %d at %ds: read the per-second lines above for the settling)%n",
                    limit, plan.simulatorLimitChange()[0]);
        }
        System.out.printf("simulator after draining: %s%n", drained);
        LoadReport.gateways(delta, after);
    }

    private static Map<String, Integer> weights(String[] args, LoadPlan plan) {
        List<Integer> cycle = new ArrayList<>(List.of(1));
        for (String arg : args) {
            if (arg.startsWith("--weights=")) {
                cycle.clear();
                for (String w : arg.substring("--weights=".length()).split(",")) {
                    cycle.add(Integer.parseInt(w.trim()));
                }
            }
        }
        Map<String, Integer> weights = new TreeMap<>();
        int i = 0;
        for (String tenant : plan.tenantRates().keySet()) {
            weights.put(tenant, cycle.get(i++ % cycle.size()));
        }
        return weights;
    }

    private static String option(String[] args, String name) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        return "";
    }

    /** Forgets the simulator's counts and windows and sets the run's limit. */
    private static void resetSimulator(OpenLoopLoad load, LoadPlan plan) {
        load.admin(plan.simulator(), "POST", "/__sim/reset", "{}");
        setLimit(load, plan, plan.simulatorLimit());
    }

    private static void setLimit(OpenLoopLoad load, LoadPlan plan, int limit) {
        load.admin(plan.simulator(), "PUT", "/__sim/limit", "{\"per_second\":" + limit + "}");
    }

    private static JsonNode stats(OpenLoopLoad load, LoadPlan plan) {
        return JSON.readTree(load.admin(plan.simulator(), "GET", "/__sim/stats", ""));
    }

    /**
     * Calls the simulator accepted between two instants of System.nanoTime (one clock for every process of the host):
     * the run's own, however late the load tool's stats calls came on a starved machine.
     */
    private static long acceptedBetween(OpenLoopLoad load, LoadPlan plan, long fromNanos, long toNanos) {
        String path = "/__sim/accepted?from=" + fromNanos + "&to=" + toNanos;
        return JSON.readTree(load.admin(plan.simulator(), "GET", path, ""))
                .path("accepted")
                .asLong();
    }

    private static GatewayMeters scrape(OpenLoopLoad load, LoadPlan plan) {
        List<String> scrapes = new ArrayList<>();
        for (URI gateway : plan.gateways()) {
            scrapes.add(load.get(gateway.resolve("/actuator/prometheus")));
        }
        return GatewayMeters.parse(scrapes);
    }

    /**
     * The simulator's stats with its counts since {@code atStart} (its stats as the measured run began, the load going
     * on: null when the simulator was reset then instead); the maxima, the first excess and the per-second calls are
     * its own, since its reset.
     */
    private static JsonNode since(JsonNode stats, JsonNode atStart) {
        if (atStart == null || !(stats instanceof ObjectNode counts)) {
            return stats;
        }
        ObjectNode out = counts.deepCopy();
        for (String name : List.of("total_calls", "accepted", "rejected_by_limit", "collector_pauses")) {
            long now = number(stats, name);
            long then = number(atStart, name);
            if (now >= 0 && then >= 0) {
                out.put(stats.has(name) ? name : camel(name), now - then);
            }
        }
        return out;
    }

    private static long number(JsonNode stats, String snakeName) {
        JsonNode node = stats.get(snakeName);
        if (node == null) {
            node = stats.get(camel(snakeName));
        }
        return node == null ? -1 : node.asLong();
    }

    private static String lastSecond(JsonNode stats) {
        JsonNode perSecond = stats.get("calls_per_second");
        if (perSecond == null) {
            perSecond = stats.get("callsPerSecond");
        }
        return perSecond == null || perSecond.isEmpty()
                ? "-"
                : perSecond.get(perSecond.size() - 1).asString();
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
