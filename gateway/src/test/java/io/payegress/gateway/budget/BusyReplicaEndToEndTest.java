package io.payegress.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Issue 10's short CI version: two replicas on one Redis with the production budget settings (100 ms margin, 50 ms late
 * tolerance), half the limit offered, while threads spinning in the same JVM keep every replica's CPU short. A slow
 * machine must give slower answers, not refusals: every request is answered 200 (no 429 while the limit has room, no
 * 503), the simulator never sees more than the limit in a sliding second nor answers 429. Nothing here depends on the
 * machine's speed beyond answering 20 requests a second within the 8 s deadline.
 */
class BusyReplicaEndToEndTest {

    private static final int LIMIT = 40;
    private static final int OFFERED_PER_SECOND = LIMIT / 2;
    private static final Duration RUN = Duration.ofSeconds(6);
    private static final Duration WARM_UP = Duration.ofSeconds(3);

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
                "50ms",
                "spring.data.redis.host",
                redis.host(),
                "spring.data.redis.port",
                redis.port());
        for (int i = 0; i < 2; i++) {
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
    void answersEveryRequestAtHalfTheLimitWhileTheReplicasJvmIsKeptBusy() throws InterruptedException {
        List<WebClient> clients =
                replicas.stream().map(r -> WebClient.create(r.baseUrl())).toList();
        OpenLoopLoad.run(clients, OFFERED_PER_SECOND, WARM_UP);
        bed.simulator().reset();
        bed.simulator().setLimitPerSecond(LIMIT);

        AtomicBoolean spinning = new AtomicBoolean(true);
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread hog = new Thread(
                    () -> {
                        long x = 0;
                        while (spinning.get()) {
                            x += System.nanoTime() % 7; // busy, never sleeping
                        }
                        if (x == 42) {
                            System.out.print("");
                        }
                    },
                    "cpu-hog-" + i);
            hog.setDaemon(true);
            hog.start();
            hogs.add(hog);
        }
        List<Integer> statuses;
        try {
            statuses = OpenLoopLoad.run(clients, OFFERED_PER_SECOND, RUN);
        } finally {
            spinning.set(false);
            for (Thread hog : hogs) {
                hog.join();
            }
        }

        SimulatorStats stats = bed.simulator().stats();
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach(s -> byStatus.merge(s, 1L, Long::sum));
        System.out.printf(
                "[busy-replica] %d/s for %s beside %d spinning threads: answers %s, simulator %s%n",
                OFFERED_PER_SECOND, RUN, hogs.size(), byStatus, stats);
        assertThat(byStatus).as("every request answered 200").containsOnlyKeys(200);
        assertThat(stats.maxInAnySlidingSecond()).isLessThanOrEqualTo(LIMIT);
        assertThat(stats.rejectedByLimit()).isZero();
    }
}
