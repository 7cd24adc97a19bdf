package io.payegress.gateway.shutdown;

import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.pipeline.Drain;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Mono;
import reactor.netty.channel.ChannelOperations;

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

    /**
     * Every request counts until its handler has ended and Reactor Netty has ended its exchange on the connection,
     * which it does after the handler, with the answer's last write. Counted only to the handler's end, a request cut
     * off by the drain could have its connection closed by the stopping server before its 504 went out (seen once in
     * CI: "Connection prematurely closed BEFORE response"). Registered first, so outermost. The door's refusals, written
     * before the web server sees their requests, are counted by the door ({@code Drain.track}).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebHttpHandlerBuilderCustomizer drainWatchesEveryRequest(Drain drain) {
        return builder -> builder.httpHandlerDecorator(handler ->
                (request, response) -> drain.watch(handler.handle(request, response), exchangeEnded(response)));
    }

    private static Mono<Void> exchangeEnded(ServerHttpResponse response) {
        Object connection = ServerHttpResponseDecorator.getNativeResponse(response);
        return connection instanceof ChannelOperations<?, ?> operations ? operations.onTerminate() : Mono.empty();
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
