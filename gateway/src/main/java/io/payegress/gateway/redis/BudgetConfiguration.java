package io.payegress.gateway.redis;

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
 * The shared upstream budgets: decided by one Redis script for all replicas, over the budget's own client
 * ({@link BudgetRedisClient}: Boot's server and fail-fast options, an I/O thread of its own), connected on first use so
 * that the gateway starts while Redis is down; in the local run, in this replica's memory.
 */
@Configuration(proxyBeanMethods = false)
public class BudgetConfiguration {

    /** The budget's own Redis client (made on first use; closed after the limiters, which take it). */
    @Bean(destroyMethod = "close")
    BudgetRedisClient budgetRedisClient(ObjectProvider<LettuceConnectionFactory> redis, ThreadPriorities priorities) {
        return new BudgetRedisClient(redis, priorities);
    }

    @Bean(destroyMethod = "close")
    BudgetLimiters budgetLimiters(
            StateProperties state,
            BudgetRedisClient redis,
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
        return BudgetLimiters.redis(
                LazyScriptingCommands.of(redis::connect),
                wechatpay.merchantId(),
                meters,
                state.commandTimeout(),
                priorities.latencyCritical("payegress-budget"));
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
