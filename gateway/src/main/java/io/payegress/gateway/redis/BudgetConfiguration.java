package io.payegress.gateway.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.budget.BudgetAdmissionGatewayFilterFactory;
import io.payegress.filters.budget.BudgetGatewayFilterFactory;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.budget.LocalBudgetStore;
import io.payegress.gateway.config.ThreadPriorities;
import io.payegress.gateway.config.WeChatPayProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.scheduler.Schedulers;

/**
 * The shared upstream budgets: decided by one Redis script for all replicas, over a dedicated Lettuce connection
 * made from Boot's client (so it inherits the fail-fast options) on first use, so that the gateway starts while
 * Redis is down; in the local run, in this replica's memory.
 */
@Configuration(proxyBeanMethods = false)
public class BudgetConfiguration {

    @Bean(destroyMethod = "close")
    BudgetLimiters budgetLimiters(
            StateProperties state,
            ObjectProvider<LettuceConnectionFactory> redis,
            WeChatPayProperties wechatpay,
            MeterRegistry meters,
            Clock clock,
            ThreadPriorities priorities) {
        if (state.store() == StateProperties.Store.IN_MEMORY) {
            return new BudgetLimiters(
                    settings -> new LocalBudgetStore(settings, settings.limit(), 1, Duration.ZERO, System::nanoTime),
                    meters,
                    "local-" + UUID.randomUUID(),
                    System::nanoTime,
                    clock,
                    Schedulers.parallel());
        }
        LettuceConnectionFactory factory = redis.getObject();
        return BudgetLimiters.redis(
                LazyScriptingCommands.of(() -> scripting(factory.getRequiredNativeClient())),
                wechatpay.merchantId(),
                meters,
                state.commandTimeout(),
                priorities.latencyCritical("payegress-budget"));
    }

    private static RedisScriptingReactiveCommands<String, String> scripting(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient cluster) {
            return cluster.connect(ExactUtf8Codec.INSTANCE).reactive();
        }
        return ((RedisClient) client).connect(ExactUtf8Codec.INSTANCE).reactive();
    }

    @Bean
    BudgetGatewayFilterFactory budgetGatewayFilterFactory(BudgetLimiters limiters) {
        return new BudgetGatewayFilterFactory(limiters);
    }

    @Bean
    BudgetAdmissionGatewayFilterFactory budgetAdmissionGatewayFilterFactory(BudgetLimiters limiters) {
        return new BudgetAdmissionGatewayFilterFactory(limiters);
    }
}
