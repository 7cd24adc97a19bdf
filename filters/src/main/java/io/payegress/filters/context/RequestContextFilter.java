package io.payegress.filters.context;

import io.payegress.filters.error.ErrorOutcome;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
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
    private static final List<PipelineStage> LATER_STAGES = Arrays.stream(PipelineStage.values())
            .filter(stage -> stage.compareTo(PipelineStage.REQUEST_CONTEXT) > 0)
            .toList();

    private final Clock clock;

    public RequestContextFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.REQUEST_CONTEXT);
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
        long began = PaymentExchange.reachedNanos(exchange, PipelineStage.REQUEST_CONTEXT)
                .orElseThrow();
        new AccessLine(
                        PaymentExchange.requestId(exchange),
                        PaymentExchange.upstreamRequestId(exchange).orElse("-"),
                        PaymentExchange.tenant(exchange)
                                .map(Tenant::id)
                                .map(Object::toString)
                                .orElse("-"),
                        route == null ? "-" : route.getId(),
                        exchange.getRequest().getMethod().name(),
                        exchange.getRequest().getPath().value(),
                        status == null ? 0 : status.value(),
                        ErrorOutcome.of(exchange).map(AccessLine::outcome).orElse("ok"),
                        Duration.between(start, clock.instant()).toMillis(),
                        queued(exchange, began),
                        stages(exchange, began))
                .write();
    }

    /**
     * How long the request waited on this host before this stage saw it (from when its connection last received data,
     * as the budget's admission asked the kernel); "-" where no stage asked.
     */
    private static String queued(ServerWebExchange exchange, long began) {
        OptionalLong arrived = PaymentExchange.arrivedNanos(exchange);
        return arrived.isPresent() ? Long.toString(Math.max(0, began - arrived.getAsLong()) / 1_000_000) : "-";
    }

    /** When the request reached each later stage it reached, in milliseconds after this one: where its time went. */
    private static String stages(ServerWebExchange exchange, long began) {
        StringBuilder out = new StringBuilder();
        for (PipelineStage stage : LATER_STAGES) {
            OptionalLong reached = PaymentExchange.reachedNanos(exchange, stage);
            if (reached.isPresent()) {
                out.append(out.isEmpty() ? "" : ",")
                        .append(stage.name().toLowerCase(Locale.ROOT))
                        .append(':')
                        .append((reached.getAsLong() - began) / 1_000_000);
            }
        }
        return out.isEmpty() ? "-" : out.toString();
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
