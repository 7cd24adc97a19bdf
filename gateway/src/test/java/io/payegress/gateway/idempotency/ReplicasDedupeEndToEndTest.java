package io.payegress.gateway.idempotency;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Three gateway replicas sharing one real Redis and one simulator: every use_request_no, sent three times at once
 * to different replicas, is redeemed exactly once upstream, and all three POS answers are the same.
 */
class ReplicasDedupeEndToEndTest {

    private static final int NUMBERS = 2_000;

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static final List<GatewayInstance> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        // A budget far above the load, and generous timeouts: this test checks dedupe, not how fast a loaded 2-core
        // machine answers. With the
        // production timeouts a stalled machine makes the gateway retry (same use_request_no, which WeChat dedupes)
        // or fall back to its local store, and the simulator would count those as duplicates.
        Map<String, Object> shared = Map.ofEntries(
                Map.entry("payegress.budget.coupons-use.limit", "1000000"),
                Map.entry("payegress.budget.max-wait", "30s"),
                Map.entry("payegress.state.store", "redis"),
                Map.entry("payegress.state.command-timeout", "5s"),
                Map.entry("spring.data.redis.timeout", "5s"),
                Map.entry("payegress.upstream.deadline", "60s"),
                Map.entry("payegress.upstream.response-timeout", "50s"),
                Map.entry("payegress.upstream.in-flight-ttl", "120s"),
                Map.entry("spring.data.redis.host", redis.host()),
                Map.entry("spring.data.redis.port", redis.port()));
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

    @BeforeEach
    void reset() {
        bed.simulator().reset();
    }

    private record Answer(String useRequestNo, int status, String body) {}

    @Test
    void redeemsEachUseRequestNoExactlyOnceAcrossReplicasAndAnswersEveryCopyAlike() {
        bed.simulator().setLimitPerSecond(1_000_000);
        List<WebClient> clients =
                replicas.stream().map(r -> WebClient.create(r.baseUrl())).toList();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L);

        List<Answer> answers = Flux.range(0, NUMBERS)
                .flatMap(
                        i -> Flux.range(0, 3).flatMap(copy -> send(clients.get((i + copy) % 3), "r" + run + "-" + i)),
                        32)
                .collectList()
                .block(Duration.ofMinutes(5));

        SimulatorStats stats = bed.simulator().stats();
        assertThat(stats.redemptions()).isEqualTo(NUMBERS);
        assertThat(stats.duplicateUseRequestNo()).isZero();
        assertThat(answers).hasSize(3 * NUMBERS);
        Map<String, List<Answer>> byNumber = answers.stream().collect(Collectors.groupingBy(Answer::useRequestNo));
        byNumber.forEach((number, copies) -> {
            assertThat(copies).extracting(Answer::status).containsOnly(200);
            assertThat(copies)
                    .extracting(Answer::body)
                    .containsOnly(copies.get(0).body());
        });
    }

    private static Mono<Answer> send(WebClient client, String useRequestNo) {
        String body = PaymentTestBed.redemption("load-" + useRequestNo, useRequestNo);
        return client.post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(text ->
                                new Answer(useRequestNo, response.statusCode().value(), text)));
    }
}
