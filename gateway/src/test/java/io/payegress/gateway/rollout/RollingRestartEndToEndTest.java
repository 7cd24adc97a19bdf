package io.payegress.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payegress.gateway.idempotency.RedisProbe;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.OwnEventLoops;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.stats.SimulatorStats;
import io.payegress.testing.RedisServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A rolling restart under steady load, as Kubernetes does it to the chart's Deployment: three replicas sharing one
 * real Redis and the simulator, a POS that retries what the gateway marks retryable (same use_request_no) through a
 * Service that only routes to ready replicas, and each replica in turn closed as SIGTERM closes it while requests are
 * in flight at WeChat (the simulator answers 500 ms late), then replaced by a fresh one on a new port. Nothing may
 * fail that the POS could not retry, no coupon may be redeemed twice, and no redemption may be left unanswered or in
 * flight in the dedupe store. The figures are printed on one line (docs/rolling-restart.md).
 */
class RollingRestartEndToEndTest {

    private static final int TERMINALS = 12;
    private static final long UPSTREAM_LATENCY_MS = 500;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static RedisProbe probe;
    private static final List<GatewayInstance> started = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        probe = new RedisProbe(redis.host(), redis.port());
    }

    @AfterAll
    static void stop() {
        started.forEach(GatewayInstance::close);
        if (probe != null) {
            probe.close();
        }
        if (bed != null) {
            bed.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** What one replica's restart showed: requests in flight when its readiness went down, and their answers. */
    private record Restart(int inFlightAtReadinessDown, int okWhileDraining, int otherWhileDraining) {}

    @Test
    void restartsEveryReplicaUnderLoadWithoutAFailedOrDoubledRedemption() throws Exception {
        bed.simulator().reset();
        bed.simulator().faults().add(FaultSpec.latency(UPSTREAM_LATENCY_MS, FaultSpec.UNTIL_CLEARED));
        ReplicaService service = new ReplicaService();
        for (int i = 0; i < 3; i++) {
            service.add(replica());
        }
        RetryingPos pos = new RetryingPos(service);
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<Void> load = Flux.range(0, TERMINALS)
                .flatMap(
                        terminal -> Mono.defer(() -> pos.redeem(PaymentTestBed.freshRedemption()))
                                .repeat(loading::get),
                        TERMINALS)
                .then()
                .toFuture();
        long began = System.nanoTime();
        awaitSucceeded(pos, 2 * TERMINALS);

        long requestsBefore = pos.requests.sum();
        List<Restart> restarts = new ArrayList<>();
        for (ReplicaService.Endpoint endpoint : service.endpoints()) {
            restarts.add(restart(service, endpoint));
        }
        long requestsDuringRestart = pos.requests.sum() - requestsBefore;
        awaitSucceeded(pos, pos.succeeded.sum() + 2 * TERMINALS);
        loading.set(false);
        load.get(RetryingPos.ATTEMPT_TIMEOUT.toSeconds() * RetryingPos.MAX_ATTEMPTS, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        SimulatorStats stats = bed.simulator().stats();
        List<String> inFlightRecords = probe.inFlightRecords();
        System.out.printf(
                "rolling restart: %d requests (%d during the restart of 3 replicas), %d retryable answers %s,"
                        + " %d broken connections, %d without a ready replica, %d failures, %d unanswered;"
                        + " in flight at readiness down %s, answered 200 while draining %s; WeChat: %d redemptions,"
                        + " %d duplicate use_request_no; %d dedupe records left in flight; %d ms%n",
                pos.requests.sum(),
                requestsDuringRestart,
                pos.retryableAnswers.sum(),
                pos.retryableByCode(),
                pos.brokenConnections.sum(),
                pos.noReadyReplica.sum(),
                pos.failures.size(),
                pos.unanswered.sum(),
                restarts.stream().map(Restart::inFlightAtReadinessDown).toList(),
                restarts.stream().map(Restart::okWhileDraining).toList(),
                stats.redemptions(),
                stats.duplicateUseRequestNo(),
                inFlightRecords.size(),
                tookMillis);

        assertThat(pos.failures).as("requests the POS could not retry").isEmpty();
        assertThat(pos.unanswered.sum()).isZero();
        assertThat(pos.succeeded.sum()).isEqualTo(pos.requests.sum());
        assertThat(requestsDuringRestart).isPositive();
        assertThat(stats.duplicateUseRequestNo())
                .as("use_request_no sent to WeChat twice")
                .isZero();
        assertThat(stats.redemptions()).as("one redemption per coupon").isEqualTo(pos.succeeded.sum());
        assertThat(inFlightRecords).as("redemptions left in flight").isEmpty();
        assertThat(probe.dedupeRecords()).as("a stored answer per redemption").isEqualTo(pos.succeeded.sum());
        assertThat(restarts).allSatisfy(restart -> {
            assertThat(restart.inFlightAtReadinessDown())
                    .as("requests in flight at SIGTERM")
                    .isPositive();
            assertThat(restart.okWhileDraining())
                    .as("answered 200 after readiness went down")
                    .isPositive();
            assertThat(restart.otherWhileDraining()).isZero();
        });
    }

    /**
     * Closes the replica as SIGTERM does, once requests are in flight on it, and replaces it: a fresh replica on a new
     * port joins the Service once its readiness answers UP.
     */
    private static Restart restart(ReplicaService service, ReplicaService.Endpoint endpoint) {
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.inFlight.get() >= 2);
        AtomicInteger atReadinessDown = new AtomicInteger(-1);
        endpoint.gateway.onReadinessDown(() -> atReadinessDown.set(endpoint.inFlight.get()));

        endpoint.gateway.close();
        started.remove(endpoint.gateway);
        service.remove(endpoint);

        GatewayInstance fresh = replica();
        assertThat(fresh.port()).isNotEqualTo(endpoint.gateway.port());
        String readiness = WebClient.create(fresh.baseUrl())
                .get()
                .uri("/actuator/health/readiness")
                .retrieve()
                .bodyToMono(String.class)
                .block(STARTUP);
        assertThat(readiness).contains("\"UP\"");
        service.add(fresh);
        return new Restart(atReadinessDown.get(), endpoint.okWhileDraining.get(), endpoint.otherWhileDraining.get());
    }

    private static GatewayInstance replica() {
        Map<String, Object> properties = new HashMap<>(OwnEventLoops.PROPERTIES);
        properties.put("payegress.state.store", "redis");
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        // a loaded 2-core machine must not turn a slow Redis or a late answer into a fallback or a resend: this test
        // counts every use_request_no WeChat sees twice; the production timeouts are tested elsewhere
        properties.put("payegress.state.command-timeout", "2s");
        properties.put("spring.data.redis.timeout", "2s");
        properties.put("payegress.upstream.response-timeout", "6s");
        properties.put("payegress.budget.max-wait", "5s");
        GatewayInstance gateway = bed.startGateway(properties);
        started.add(gateway);
        return gateway;
    }

    private static void awaitSucceeded(RetryingPos pos, long count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> pos.succeeded.sum() >= count || !pos.failures.isEmpty());
    }
}
