package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.Drain;
import io.payegress.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The failure policies, with the real Redis killed under the filter. */
class IdempotencyStoreFailureTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeUpstream upstream = new FakeUpstream();
    private LettuceConnectionFactory factory;
    private IdempotencyGatewayFilterFactory filters;

    @BeforeEach
    void connect() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(REDIS.host(), REDIS.port()));
        factory.afterPropertiesSet();
        factory.start();
        RedisDedupeStore store = new RedisDedupeStore(factory, Duration.ofMillis(500));
        filters = new IdempotencyGatewayFilterFactory(
                store,
                new FakeResponder(),
                meters,
                JsonMapper.builder().build(),
                Clock.systemUTC(),
                "1900000109",
                LateOutcomes.NONE,
                Duration.ZERO,
                new Drain());
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
    }

    private GatewayFilter filter(FailurePolicy policy) {
        IdempotencyGatewayFilterFactory.Config config = new IdempotencyGatewayFilterFactory.Config();
        config.setFailurePolicy(policy);
        return filters.apply(config);
    }

    private double storeErrors(String operation, FailurePolicy policy) {
        return meters.counter(
                        IdempotencyMetrics.STORE_ERRORS,
                        "route",
                        "coupons-use",
                        "operation",
                        operation,
                        "policy",
                        policy.name())
                .count();
    }

    @Test
    void failClosedRefusesWithServiceUnavailableAndCallsNoUpstream() {
        GatewayFilter filter = filter(FailurePolicy.FAIL_CLOSED);
        REDIS.server().stop();

        StepVerifier.create(filter.filter(TestExchanges.couponUse("c1", "urn-closed"), upstream))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(GatewayRejection.class);
                    assertThat(((GatewayRejection) e).code()).isEqualTo(GatewayCode.SERVICE_UNAVAILABLE);
                })
                .verify(TestExchanges.TIMEOUT);
        assertThat(upstream.calls()).isZero();
        assertThat(storeErrors("claim", FailurePolicy.FAIL_CLOSED)).isEqualTo(1);
        assertThat(meters.counter(
                                IdempotencyMetrics.DECISIONS,
                                "route",
                                "coupons-use",
                                "tenant",
                                "store-001",
                                "outcome",
                                "store_error")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void failOpenLocalStillDedupesOnThisReplicaWhileRedisIsDown() {
        GatewayFilter filter = filter(FailurePolicy.FAIL_OPEN_LOCAL);
        REDIS.server().stop();

        StepVerifier.create(filter.filter(TestExchanges.couponUse("c1", "urn-open"), upstream))
                .expectComplete()
                .verify(TestExchanges.TIMEOUT);
        MockServerWebExchange again = TestExchanges.couponUse("c1", "urn-open");
        StepVerifier.create(filter.filter(again, upstream)).expectComplete().verify(TestExchanges.TIMEOUT);

        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(again.getResponse().getHeaders().getFirst("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(TestExchanges.responseBody(again)).containsExactly(FakeUpstream.SUCCESS_BODY);
        assertThat(storeErrors("claim", FailurePolicy.FAIL_OPEN_LOCAL)).isEqualTo(2);
    }

    @Test
    void sharedStoreIsUsedAgainOnceRedisIsBack() {
        GatewayFilter filter = filter(FailurePolicy.FAIL_OPEN_LOCAL);
        REDIS.server().stop();
        filter.filter(TestExchanges.couponUse("c1", "urn-during"), upstream).block(TestExchanges.TIMEOUT);
        REDIS.server().restart();

        StepVerifier.create(filter.filter(TestExchanges.couponUse("c1", "urn-after"), upstream))
                .expectComplete()
                .verify(TestExchanges.TIMEOUT);
        String key = new DedupeKey("1900000109", "coupons-use", "urn-after").redisKey();
        assertThat(new ReactiveStringRedisTemplate(factory).hasKey(key).block(TestExchanges.TIMEOUT))
                .isTrue();
    }
}
