package io.payegress.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.gateway.idempotency.Pos.Answer;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.testing.RedisServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Redis dies mid-run under two replicas with production timeouts, one FAIL_OPEN_LOCAL and one FAIL_CLOSED: the
 * first keeps redeeming (duplicates on it still replayed from its local store), the second refuses with a retryable
 * 503; no answer hangs, every store failure is counted, and after Redis restarts the replicas share records again.
 */
class RedisOutageEndToEndTest {

    private static final Duration NO_HANG = Duration.ofSeconds(5);
    private static final String STORE_ERRORS = "payegress_idempotency_store_errors_total";
    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static GatewayInstance open;
    private static GatewayInstance closed;

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        Map<String, Object> properties = new HashMap<>();
        properties.put("payegress.state.store", "redis");
        // isolates the idempotency stage: with the production budget max-wait (250 ms) the budget stage (main)
        // answers 429 to the first requests after Redis dies, before it degrades to its local share
        properties.put("payegress.budget.max-wait", "5s");
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("payegress.idempotency.failure-policy", "FAIL_OPEN_LOCAL");
        open = bed.startGateway(properties);
        properties.put("payegress.idempotency.failure-policy", "FAIL_CLOSED");
        closed = bed.startGateway(properties);
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (closed != null) {
            closed.close();
        }
        bed.close();
        redis.close();
    }

    @BeforeEach
    void redisUpAndShared() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        awaitSharedMode();
        bed.simulator().reset();
    }

    private static String fresh() {
        String number = "out-" + NUMBERS.incrementAndGet();
        return PaymentTestBed.redemption("load-" + number, number);
    }

    @Test
    void failOpenLocalKeepsRedeemingWithoutRedisAndStillReplaysDuplicatesOnTheSameReplica() {
        double errorsBefore = storeErrors(open);
        redis.stop();

        List<String> bodies = List.of(fresh(), fresh(), fresh(), fresh(), fresh());
        List<Answer> answers = new ArrayList<>();
        bodies.forEach(body -> answers.add(Pos.redeem(open, body, NO_HANG)));
        Answer duplicate = Pos.redeem(open, bodies.get(0), NO_HANG);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(answers).noneMatch(Answer::isReplay);
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.isReplay()).isTrue();
        assertThat(duplicate.body()).isEqualTo(answers.get(0).body());
        assertThat(bed.simulator().stats().totalCalls()).isEqualTo(5);
        assertThat(bed.simulator().stats().redemptions()).isEqualTo(5);
        assertThat(storeErrors(open) - errorsBefore).isGreaterThanOrEqualTo(6);
    }

    @Test
    void failClosedRefusesWithARetryable503InTheMerchantShapeWithoutCallingWeChatPay() {
        double errorsBefore = storeErrors(closed);
        redis.stop();

        Answer refused = Pos.redeem(closed, fresh(), NO_HANG);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(503);
        assertThat(refused.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(refused.json().get("retryable").asBoolean()).isTrue();
        assertThat(refused.json().get("request_id").asString()).isNotBlank();
        assertThat(refused.body()).doesNotContain("Exception", "lettuce", "Redis");
        assertThat(bed.simulator().stats().totalCalls()).isZero();
        assertThat(storeErrors(closed)).isGreaterThan(errorsBefore);
    }

    @Test
    void afterRedisRestartsAResultStoredByOneReplicaIsReplayedByTheOther() {
        redis.stop();
        assertThat(Pos.redeem(closed, fresh(), NO_HANG).status()).isEqualTo(503);
        redis.restart();

        String body = awaitSharedMode();
        long callsBefore = bed.simulator().stats().totalCalls();
        Answer onOtherReplica = Pos.redeem(open, body, NO_HANG);

        assertThat(onOtherReplica.status()).isEqualTo(200);
        assertThat(onOtherReplica.isReplay()).isTrue();
        assertThat(bed.simulator().stats().totalCalls()).isEqualTo(callsBefore);
    }

    /**
     * Sends fresh redemptions to the FAIL_CLOSED replica (bounded, 60 x 500 ms) until one succeeds, which needs its
     * Redis connection back; returns that body.
     */
    private static String awaitSharedMode() {
        for (int attempt = 0; attempt < 60; attempt++) {
            String body = fresh();
            if (Pos.redeem(closed, body, NO_HANG).status() == 200) {
                return body;
            }
            Mono.delay(Duration.ofMillis(500)).block();
        }
        throw new AssertionError("the FAIL_CLOSED replica did not get Redis back within 30 s");
    }

    private static double storeErrors(GatewayInstance gateway) {
        return gateway.bean(MeterRegistry.class).find(STORE_ERRORS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
