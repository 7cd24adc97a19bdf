package io.payegress.filters.budget;

import io.payegress.filters.pipeline.LateDeparture;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Spends one token of the shared budget per attempt: waits in the fair queue for it (or fails with 429 RATE_LIMITED
 * and Retry-After), then passes on to forwarding, and turns an upstream 429 into feedback that shrinks the shared
 * limit. The forward stage asks the permit again as the request leaves; a grant gone stale meanwhile (a starved
 * thread between the two stages) sends nothing and is given back, and the request asks for a new token at the head of
 * its tenant's queue, as often as it takes within its deadline (or max-wait, without one): a slow machine makes the
 * answer slower, and only a budget with no room for the tenant within max-wait refuses (429 RATE_LIMITED); a request
 * whose deadline passes while the limit had room is refused as the gateway being too busy (503, retryable).
 */
public final class BudgetFilter implements GatewayFilter, Ordered {

    private final BudgetLimiter limiter;

    public BudgetFilter(BudgetLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.BUDGET);
        Tenant tenant = PaymentExchange.requireTenant(exchange);
        Instant until = limiter.waitLimit(PaymentExchange.deadline(exchange).orElse(null));
        String routeId = PaymentExchange.routeId(exchange);
        return Mono.defer(() -> {
            AtomicBoolean again = new AtomicBoolean();
            long arrived = AdmissionTicket.firstAsk(exchange)
                    ? BudgetLimiter.COUNTED_AT_ADMISSION
                    : PaymentExchange.sinceArrivalNanos(exchange);
            return Mono.defer(() -> limiter.acquire(routeId, tenant, until, again.getAndSet(true), arrived))
                    // granted or refused, the request no longer counts as on its way to the queue
                    .doFinally(signal -> AdmissionTicket.close(exchange))
                    .flatMap(permit -> attempt(exchange, chain, routeId, tenant, until, permit))
                    // a loop, not a recursion: grants that come at once, missed at once, must not grow the stack
                    .retryWhen(Retry.indefinitely().filter(LateDeparture.class::isInstance));
        });
    }

    /** One attempt on a grant; a stale one ({@link LateDeparture}) is given back and the request asks again. */
    private Mono<Void> attempt(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            String routeId,
            Tenant tenant,
            Instant until,
            BudgetPermit permit) {
        PaymentExchange.departure(exchange, limiter.departure(permit, routeId, tenant, until));
        return chain.filter(exchange)
                .doOnError(this::feedback)
                .doOnError(LateDeparture.class, late -> limiter.unused(permit));
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
