package io.payegress.gateway.shutdown;

import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.pipeline.Drain;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The replica's shutdown sequence: one {@link Drain} watching every request (around the whole HTTP handler, error
 * handling included, so a request counts until its answer is written), the phase that cuts off what the graceful
 * shutdown left running, and the phase that lets the shared state go before Redis closes.
 */
@Configuration(proxyBeanMethods = false)
public class ShutdownConfiguration {

    @Bean
    Drain drain() {
        return new Drain();
    }

    @Bean
    WebHttpHandlerBuilderCustomizer drainWatchesEveryRequest(Drain drain) {
        return builder -> builder.httpHandlerDecorator(
                handler -> (request, response) -> drain.watch(handler.handle(request, response)));
    }

    @Bean
    RequestDrain requestDrain(Drain drain) {
        return new RequestDrain(drain);
    }

    @Bean
    SharedStateShutdown sharedStateShutdown(Drain drain, BudgetLimiters budgets) {
        return new SharedStateShutdown(drain, budgets);
    }
}
