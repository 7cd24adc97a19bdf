package io.payegress.gateway.redis;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/**
 * A replica starts while Redis is unreachable: it comes up, its liveness and readiness do not depend on Redis, and
 * a redemption is still answered (dedupe fails open to this replica's memory, the budget degrades to its share).
 */
class RedisDownAtStartTest {

    @TempDir
    Path keys;

    @Test
    void startsAndServesWhileRedisIsDown() {
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                GatewayInstance gateway = bed.startGateway(Map.of(
                        "payegress.state.store", "redis",
                        "spring.data.redis.host", "127.0.0.1",
                        "spring.data.redis.port", Integer.toString(closedPort()),
                        "payegress.budget.max-wait", "5s"))) {
            gateway.client()
                    .get()
                    .uri("/actuator/health/liveness")
                    .exchange()
                    .expectStatus()
                    .isOk();
            gateway.client()
                    .get()
                    .uri("/actuator/health/readiness")
                    .exchange()
                    .expectStatus()
                    .isOk();

            gateway.client()
                    .mutate()
                    .responseTimeout(Duration.ofSeconds(15))
                    .build()
                    .post()
                    .uri(USE_PATH)
                    .header("Authorization", "Bearer " + DEMO_API_KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(PaymentTestBed.freshRedemption())
                    .exchange()
                    .expectStatus()
                    .isOk();
            assertThat(bed.simulator().stats().redemptions()).isEqualTo(1);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
