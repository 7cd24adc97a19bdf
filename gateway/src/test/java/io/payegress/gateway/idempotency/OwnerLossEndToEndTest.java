package io.payegress.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.idempotency.Pos.Answer;
import io.payegress.gateway.support.GatewayInstance;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The replica that owns a claim dies while WeChat Pay holds its request: the claim stays in Redis until its
 * in-flight TTL, so a retry on another replica is told REQUEST_IN_PROGRESS until then, and afterwards goes upstream
 * again and gets WeChat's replay of the original redemption: the coupon is redeemed exactly once.
 */
class OwnerLossEndToEndTest {

    private static final String IN_FLIGHT_TTL = "5s";

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static GatewayInstance owner;
    private static GatewayInstance survivor;

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        Map<String, Object> properties = new HashMap<>();
        properties.put("payegress.state.store", "redis");
        properties.put("payegress.state.command-timeout", "1s");
        properties.put("payegress.upstream.deadline", "2s");
        // longer than the deadline: the deadline, not a per-attempt timeout, ends the owner's request
        properties.put("payegress.upstream.response-timeout", "5s");
        properties.put("payegress.upstream.in-flight-ttl", IN_FLIGHT_TTL);
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        survivor = bed.startGateway(properties);
        properties.put("server.shutdown", "immediate");
        owner = bed.startGateway(properties);
    }

    @AfterAll
    static void stop() {
        if (survivor != null) {
            survivor.close();
        }
        if (owner != null) {
            owner.close();
        }
        bed.close();
        redis.close();
    }

    @Test
    void aRetryOnAnotherReplicaWaitsOutTheDeadOwnersClaimThenRedeemsExactlyOnce() {
        String number = "own-" + System.nanoTime() % 1_000_000_000L;
        String body = PaymentTestBed.redemption("load-" + number, number);
        bed.simulator().faults().add(FaultSpec.latency(10_000, 1));
        CompletableFuture<Optional<Answer>> first = Pos.send(owner, body)
                .map(Optional::of)
                .onErrorResume(error -> Mono.just(Optional.empty()))
                .toFuture();
        awaitRedemptions(1);

        owner.crash();

        try (RedisProbe probe = new RedisProbe(redis.host(), redis.port())) {
            assertThat(probe.hasRecordFor(number))
                    .as("the dead owner's claim is still in Redis")
                    .isTrue();
        }
        assertThat(first.join().map(Answer::status))
                .as("the owner never answered 200")
                .isNotEqualTo(Optional.of(200));
        List<Answer> retries = retryUntilNotInProgress(body);
        Answer last = retries.get(retries.size() - 1);

        assertThat(retries.get(0).status()).isEqualTo(409);
        assertThat(retries.get(0).json().get("code").asString()).isEqualTo("REQUEST_IN_PROGRESS");
        assertThat(retries.get(0).json().get("retryable").asBoolean()).isTrue();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.isReplay()).as("the survivor forwarded it itself").isFalse();
        SimulatorStats stats = bed.simulator().stats();
        assertThat(stats.redemptions()).isEqualTo(1);
        assertThat(stats.duplicateUseRequestNo()).isEqualTo(1);
        Answer replayed = Pos.redeem(survivor, body);
        assertThat(replayed.isReplay()).isTrue();
        assertThat(replayed.body()).isEqualTo(last.body());
    }

    /** Resends the same redemption to the survivor while it answers 409 (each 409 already waited in-flight-wait). */
    private static List<Answer> retryUntilNotInProgress(String body) {
        List<Answer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            Answer answer = Pos.redeem(survivor, body);
            answers.add(answer);
            if (answer.status() != 409) {
                return answers;
            }
            Mono.delay(Duration.ofMillis(200)).block();
        }
        return answers;
    }

    private static void awaitRedemptions(long count) {
        for (int i = 0; i < 200 && bed.simulator().stats().redemptions() < count; i++) {
            Mono.delay(Duration.ofMillis(25)).block();
        }
        assertThat(bed.simulator().stats().redemptions()).isEqualTo(count);
    }
}
