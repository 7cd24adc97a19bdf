package io.payegress.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.stats.SimulatorStats;
import io.payegress.testing.RedisServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A short budget benchmark, not a CI test (tagged {@code benchmark}: its outcome depends on this machine's speed;
 * run it with {@code ./mvnw -pl gateway -am verify -Dexcluded.groups= -Dgroups=benchmark}): three gateways sharing one Redis, the simulator enforcing a strict
 * sliding-window limit equal to the gateways' budget, an open-loop load of twice the limit from two tenants. The
 * simulator never sees more than the limit in any sliding second and never answers 429. Utilization is printed,
 * and only guarded against starvation (docs/benchmarks.md has the long runs).
 */
@Tag("benchmark")
class SharedBudgetEndToEndTest {

    private static final int LIMIT = 40;
    private static final Duration RUN = Duration.ofSeconds(8);
    /** JIT and connection warm-up, and the budget's start-up pause of one window, before anything is counted. */
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static final List<GatewayInstance> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        bed.simulator().setLimitPerSecond(LIMIT);
        Map<String, Object> shared = Map.of(
                "payegress.state.store",
                "redis",
                "payegress.budget.coupons-use.limit",
                LIMIT,
                PaymentTestBed.TEST_SAFETY_MARGIN,
                "100ms",
                PaymentTestBed.TEST_LATE_TOLERANCE,
                "25ms",
                "spring.data.redis.host",
                redis.host(),
                "spring.data.redis.port",
                redis.port());
        for (int i = 0; i < 3; i++) {
            replicas.add(bed.startGateway(shared));
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(GatewayInstance::close);
        bed.close();
        redis.close();
    }

    @Test
    void neverSendsWeChatMoreThanTheLimitInAnySlidingSecond() {
        List<WebClient> clients =
                replicas.stream().map(r -> WebClient.create(r.baseUrl())).toList();
        long offeredPerSecond = 2L * LIMIT;
        long requests = offeredPerSecond * RUN.toSeconds();
        OpenLoopLoad.run(clients, offeredPerSecond, WARM_UP);
        bed.simulator().reset();
        bed.simulator().setLimitPerSecond(LIMIT);

        List<Integer> statuses = OpenLoopLoad.run(clients, offeredPerSecond, RUN);

        SimulatorStats stats = bed.simulator().stats();
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach(s -> byStatus.merge(s, 1L, Long::sum));
        System.out.printf("budget e2e: offered %d over %s, answers %s, simulator %s%n", requests, RUN, byStatus, stats);
        replicas.forEach(r -> r.bean(MeterRegistry.class).getMeters().stream()
                .filter(m -> m.getId().getName().contains("budget"))
                .forEach(m -> System.out.printf(
                        "budget e2e meter %s %s %s%n",
                        m.getId().getName(), m.getId().getTags(), m.measure())));
        assertThat(stats.maxInAnySlidingSecond()).isLessThanOrEqualTo(LIMIT);
        assertThat(stats.rejectedByLimit()).isZero();
        assertThat(byStatus.keySet()).isSubsetOf(200, 429);
        // A guard against the waste of issue 5 coming back: with the budget's timers on the shared parallel
        // scheduler, most grants came later than half the safety margin and were dropped (8-20% of the limit was
        // used); on their own thread 84-92% was measured on a loaded 2-core machine. A quarter keeps it stable.
        assertThat(stats.redemptions()).isGreaterThanOrEqualTo(LIMIT * RUN.toSeconds() / 4);
    }
}
