package io.payegress.filters.budget;

import io.payegress.filters.pipeline.LateDeparture;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spends one token of the shared budget per attempt: waits in the fair queue for it (or fails with 429 RATE_LIMITED
 * and Retry-After), then passes on to forwarding, and turns an upstream 429 into feedback that shrinks the shared
 * limit. The forward stage asks the permit again as the request leaves; a grant gone stale meanwhile (a starved
 * thread between the two stages) sends nothing, and the request asks for a new token, at most {@value #MAX_TOKENS}
 * times; then 429 RATE_LIMITED.
 */
public final class BudgetFilter implements GatewayFilter, Ordered {

    static final int MAX_TOKENS = 3;

    private final BudgetLimiter limiter;

    public BudgetFilter(BudgetLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Tenant tenant = PaymentExchange.requireTenant(exchange);
        return attempt(exchange, chain, PaymentExchange.routeId(exchange), tenant, 1);
    }

    private Mono<Void> attempt(
            ServerWebExchange exchange, GatewayFilterChain chain, String routeId, Tenant tenant, int token) {
        return limiter.acquire(
                        routeId, tenant, PaymentExchange.deadline(exchange).orElse(null))
                .flatMap(permit -> {
                    PaymentExchange.departure(exchange, limiter.departure(permit));
                    return chain.filter(exchange).doOnError(this::feedback);
                })
                .onErrorResume(
                        LateDeparture.class,
                        late -> token < MAX_TOKENS
                                ? attempt(exchange, chain, routeId, tenant, token + 1)
                                : Mono.error(BudgetLimiter.rateLimited(
                                        "The gateway could not send the request in its budget slot; retry later")));
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
