package io.payegress.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payegress.gateway.idempotency.Pos;
import io.payegress.gateway.idempotency.RedisProbe;
import io.payegress.gateway.shutdown.RequestDrain;
import io.payegress.gateway.shutdown.SharedStateShutdown;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.OwnEventLoops;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.testing.RedisServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What the graceful shutdown phase cannot finish (here it lasts 1 s, in production 20 s) is not dropped: a request
 * still waiting for WeChat's answer is answered 504 UPSTREAM_OUTCOME_UNKNOWN, retryable, its use_request_no released
 * (its attempt marker kept), before the replica's server stops; the POS sends the same request to another replica and
 * gets the redemption (WeChat answers a resent number with its first result).
 */
class ShutdownCutOffEndToEndTest {

    private static final Duration ANSWER = Duration.ofSeconds(30);

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static RedisProbe probe;
    private static GatewayInstance staying;

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        probe = new RedisProbe(redis.host(), redis.port());
        staying = gateway();
    }

    @AfterAll
    static void stop() {
        if (staying != null) {
            staying.close();
        }
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

    @Test
    void aRequestStillAtWeChatWhenTheShutdownPhaseEndsGetsARetryableAnswerAndItsKeyReleased() throws Exception {
        bed.simulator().reset();
        bed.simulator().faults().add(FaultSpec.latency(20_000, 1));
        GatewayInstance leaving = gateway();
        String number = "cut-" + System.nanoTime();
        String body = PaymentTestBed.redemption("load-" + number, number);
        CompletableFuture<Pos.Answer> first =
                Pos.send(WebClient.create(leaving.baseUrl()), body).toFuture();
        await().atMost(ANSWER).until(() -> bed.simulator().stats().totalCalls() == 1);

        leaving.close();

        Pos.Answer cut = first.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
        assertThat(cut.status()).isEqualTo(504);
        assertThat(cut.json().get("code").asString()).isEqualTo("UPSTREAM_OUTCOME_UNKNOWN");
        assertThat(cut.json().get("retryable").asBoolean()).isTrue();
        assertThat(probe.hasRecordFor(number)).as("use_request_no released").isFalse();
        assertThat(probe.hasAttemptMarkerFor(number))
                .as("the attempt marker kept, so the resend knows of the attempt")
                .isTrue();
        Pos.Answer retried = Pos.send(WebClient.create(staying.baseUrl()), body).block(ANSWER);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(bed.simulator().stats().redemptions()).isEqualTo(1);
    }

    @Test
    void theShutdownPhasesRunDrainThenServerStopThenSharedStateThenRedis() {
        int drain = staying.bean(RequestDrain.class).getPhase();
        int sharedState = staying.bean(SharedStateShutdown.class).getPhase();

        // a higher phase stops first
        assertThat(drain)
                .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
                .isGreaterThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
        assertThat(sharedState)
                .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
                .isGreaterThan(staying.bean(LettuceConnectionFactory.class).getPhase())
                .isGreaterThan(staying.bean(ReactorResourceFactory.class).getPhase());
    }

    private static GatewayInstance gateway() {
        Map<String, Object> properties = new HashMap<>(OwnEventLoops.PROPERTIES);
        properties.put("payegress.state.store", "redis");
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "1s");
        properties.put("payegress.upstream.response-timeout", "30s");
        properties.put("payegress.upstream.deadline", "40s");
        properties.put("payegress.upstream.in-flight-ttl", "60s");
        return bed.startGateway(properties);
    }
}
