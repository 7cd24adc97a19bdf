package io.payegress.filters.budget;

import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spends one token of the shared budget per attempt: waits in the fair queue for it (or fails with 429 RATE_LIMITED
 * and Retry-After), then passes on to signing and forwarding and turns an upstream 429 into feedback that shrinks
 * the shared limit.
 */
public final class BudgetFilter implements GatewayFilter, Ordered {

    private final BudgetLimiter limiter;

    public BudgetFilter(BudgetLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Tenant tenant = PaymentExchange.requireTenant(exchange);
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? "-" : route.getId();
        return limiter.acquire(
                        routeId, tenant, PaymentExchange.deadline(exchange).orElse(null))
                .then(Mono.defer(() -> chain.filter(exchange).doOnError(this::feedback)));
    }

    private void feedback(Throwable failure) {
        if (UpstreamThrottling.isThrottling(failure)) {
            limiter.throttled();
        }
    }

    @Override
    public int getOrder() {
        return PipelineStage.BUDGET.order();
    }

    @Override
    public String toString() {
        return "Budget[" + limiter.health().budget() + "]";
    }
}
