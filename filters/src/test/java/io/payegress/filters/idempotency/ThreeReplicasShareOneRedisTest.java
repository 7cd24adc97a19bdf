package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.pipeline.Drain;
import io.payegress.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Three gateway replicas (own Redis connections and filters) take every use_request_no three times at once. */
class ThreeReplicasShareOneRedisTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final int KEYS = 600;
    private static final int REPLICAS = 3;

    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    @AfterEach
    void disconnect() {
        factories.forEach(LettuceConnectionFactory::destroy);
    }

    private GatewayFilter replica() {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(REDIS.host(), REDIS.port()));
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        IdempotencyGatewayFilterFactory.Config config = new IdempotencyGatewayFilterFactory.Config();
        config.setInFlightWait(Duration.ofSeconds(20));
        config.setFailurePolicy(FailurePolicy.FAIL_CLOSED);
        return new IdempotencyGatewayFilterFactory(
                        new RedisDedupeStore(factory, Duration.ofSeconds(5)),
                        new FakeResponder(),
                        new SimpleMeterRegistry(),
                        JsonMapper.builder().build(),
                        Clock.systemUTC(),
                        "1900000109",
                        LateOutcomes.NONE,
                        Duration.ZERO,
                        new Drain())
                .apply(config);
    }

    @Test
    void everyUseRequestNoReachesTheUpstreamOnceAndEveryCopyGetsTheSameAnswer() {
        List<GatewayFilter> replicas = List.of(replica(), replica(), replica());
        FakeUpstream upstream = new FakeUpstream();
        List<MockServerWebExchange> exchanges = new ArrayList<>();
        for (int i = 0; i < KEYS * REPLICAS; i++) {
            exchanges.add(TestExchanges.couponUse("c" + i / REPLICAS, "urn-" + i / REPLICAS));
        }

        long started = System.nanoTime();
        Flux.range(0, exchanges.size())
                .flatMap(
                        i -> replicas.get(i % REPLICAS)
                                .filter(exchanges.get(i), upstream)
                                .then(Mono.just(i)),
                        192)
                .blockLast(Duration.ofSeconds(120));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "idempotency: %d requests (%d keys x %d replicas) in %d ms%n",
                exchanges.size(), KEYS, REPLICAS, millis);

        assertThat(upstream.calls()).isEqualTo(KEYS);
        long replayed = exchanges.stream()
                .filter(e -> "true".equals(e.getResponse().getHeaders().getFirst("Idempotent-Replayed")))
                .count();
        assertThat(replayed).isEqualTo((long) KEYS * (REPLICAS - 1));
        assertThat(exchanges).allSatisfy(e -> {
            assertThat(e.getResponse().getStatusCode().value()).isEqualTo(200);
            assertThat(TestExchanges.responseBody(e)).containsExactly(FakeUpstream.SUCCESS_BODY);
        });
    }
}
