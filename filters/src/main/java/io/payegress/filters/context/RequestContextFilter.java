package io.payegress.filters.context;

import io.payegress.filters.error.ErrorOutcome;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sets the request id (echoed as X-Request-Id before the response commits) and writes exactly one structured
 * access-log line per request: never an API key, a private key or a body.
 */
public final class RequestContextFilter implements GatewayFilter, Ordered {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger access = LoggerFactory.getLogger("payegress.access");

    private final Clock clock;

    public RequestContextFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String requestId =
                RequestIds.takeOrGenerate(exchange.getRequest().getHeaders().getFirst(REQUEST_ID_HEADER));
        PaymentExchange.requestId(exchange, requestId);
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(REQUEST_ID_HEADER, requestId);
            return Mono.empty();
        });
        Instant start = clock.instant();
        return chain.filter(exchange).doFinally(signal -> log(exchange, start));
    }

    private void log(ServerWebExchange exchange, Instant start) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        access.atInfo()
                .addKeyValue("request_id", PaymentExchange.requestId(exchange))
                .addKeyValue(
                        "upstream_request_id",
                        PaymentExchange.upstreamRequestId(exchange).orElse("-"))
                .addKeyValue(
                        "tenant",
                        PaymentExchange.tenant(exchange)
                                .map(Tenant::id)
                                .map(Object::toString)
                                .orElse("-"))
                .addKeyValue("route", route == null ? "-" : route.getId())
                .addKeyValue("method", exchange.getRequest().getMethod().name())
                .addKeyValue("path", exchange.getRequest().getPath().value())
                .addKeyValue("status", status == null ? 0 : status.value())
                .addKeyValue(
                        "outcome",
                        ErrorOutcome.of(exchange)
                                .map(RequestContextFilter::outcome)
                                .orElse("ok"))
                .addKeyValue(
                        "duration_ms", Duration.between(start, clock.instant()).toMillis())
                .log("request");
    }

    private static String outcome(PaymentFailure failure) {
        return failure instanceof GatewayRejection rejection ? rejection.code().name() : failure.getMessage();
    }

    @Override
    public int getOrder() {
        return PipelineStage.REQUEST_CONTEXT.order();
    }

    @Override
    public String toString() {
        return "RequestContext";
    }
}
