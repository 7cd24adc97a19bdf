package io.payegress.gateway.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.idempotency.DedupeStore;
import io.payegress.filters.idempotency.IdempotencyGatewayFilterFactory;
import io.payegress.filters.idempotency.InMemoryDedupeStore;
import io.payegress.filters.idempotency.LateOutcomes;
import io.payegress.filters.idempotency.RedisDedupeStore;
import io.payegress.filters.pipeline.Drain;
import io.payegress.gateway.config.ReconciliationProperties;
import io.payegress.gateway.config.WeChatPayProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stores behind the stateful stages: Redis, shared by every replica (production), or in memory for a single
 * replica (the local run, {@code payegress.state.store=in-memory}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StateProperties.class)
public class StateConfiguration {

    /** Records the in-memory store keeps at most (the local run; a Redis outage uses its own fallback). */
    private static final int IN_MEMORY_MAX_ENTRIES = 100_000;

    @Bean
    DedupeStore dedupeStore(StateProperties state, ObjectProvider<ReactiveRedisConnectionFactory> redis, Clock clock) {
        if (state.store() == StateProperties.Store.IN_MEMORY) {
            return new InMemoryDedupeStore(clock, IN_MEMORY_MAX_ENTRIES);
        }
        return new RedisDedupeStore(redis.getObject(), state.effectiveDedupeTimeout());
    }

    @Bean
    @ConditionalOnProperty(name = "payegress.state.store", havingValue = "redis", matchIfMissing = true)
    EvictionPolicyCheck evictionPolicyCheck(ReactiveRedisConnectionFactory redis, MeterRegistry meters) {
        return new EvictionPolicyCheck(redis, meters);
    }

    @Bean
    IdempotencyGatewayFilterFactory idempotencyGatewayFilterFactory(
            DedupeStore store,
            MerchantErrorResponder responder,
            MeterRegistry meters,
            JsonMapper json,
            Clock clock,
            WeChatPayProperties wechatpay,
            LateOutcomes lateOutcomes,
            ReconciliationProperties reconciliation,
            Drain drain) {
        return new IdempotencyGatewayFilterFactory(
                store,
                responder,
                meters,
                json,
                clock,
                wechatpay.merchantId(),
                lateOutcomes,
                reconciliation.doubtAfterStoreFailure(),
                drain);
    }
}
