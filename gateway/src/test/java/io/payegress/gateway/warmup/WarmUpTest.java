package io.payegress.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.testing.RedisServerFixture;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

/**
 * The warm-up before readiness against a real Redis and the simulator: every round runs before the replica reports
 * ready, and none reaches WeChat Pay; a Redis that is down costs a few failed rounds, not the warm-up.
 */
class WarmUpTest {

    private static final int ROUNDS = 40;

    @TempDir
    static Path keys;

    @Test
    void runsEveryRoundBeforeTheReplicaReportsReadyWithoutCallingWeChatPay() {
        try (RedisServerFixture redis = RedisServerFixture.start();
                PaymentTestBed bed = PaymentTestBed.start(keys, 0)) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("payegress.state.store", "redis");
            properties.put("spring.data.redis.host", redis.host());
            properties.put("spring.data.redis.port", redis.port());
            properties.put("payegress.warmup.rounds", ROUNDS);
            try (GatewayInstance gateway = bed.startGateway(properties)) {
                WarmUp warmUp = gateway.bean(WarmUp.class);
                assertThat(warmUp.completed()).isEqualTo(ROUNDS);
                assertThat(warmUp.failed()).isZero();
                assertThat(gateway.ready()).isTrue();
                AvailabilityChangeEvent<ReadinessState> ready =
                        gateway.bean(ApplicationAvailability.class).getLastChangeEvent(ReadinessState.class);
                assertThat(ready).isNotNull();
                assertThat(Instant.ofEpochMilli(ready.getTimestamp())).isAfterOrEqualTo(truncated(warmUp.finishedAt()));
                assertThat(bed.simulator().stats().totalCalls()).isZero();
            }
        }
    }

    @Test
    void leavesRedisOutOfTheLaterRoundsOnceItFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("payegress.state.store", "redis");
        properties.put("spring.data.redis.port", closedPort);
        properties.put("payegress.warmup.rounds", ROUNDS);
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                GatewayInstance gateway = bed.startGateway(properties)) {
            WarmUp warmUp = gateway.bean(WarmUp.class);
            assertThat(warmUp.completed() + warmUp.failed()).isEqualTo(ROUNDS);
            // only the rounds whose ping had started before the first one failed (8 run at a time)
            assertThat(warmUp.failed()).isBetween(1, 8);
            assertThat(warmUp.finishedAt()).isNotNull();
        }
    }

    @Test
    void isOffWithZeroRounds() {
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                GatewayInstance gateway = bed.startGateway(Map.of("payegress.warmup.rounds", 0))) {
            WarmUp warmUp = gateway.bean(WarmUp.class);
            assertThat(warmUp.completed()).isZero();
            assertThat(warmUp.finishedAt()).isNull();
            assertThat(gateway.ready()).isTrue();
        }
    }

    /** The event's timestamp has millisecond precision. */
    private static Instant truncated(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
