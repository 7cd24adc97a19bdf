package io.payegress.filters.error;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.pipeline.KeptCounters;
import io.payegress.filters.pipeline.PaymentExchange;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes failures in the merchant's configured schema: the route's error table picks code, status and retry rule,
 * the clerk sentence follows Accept-Language, the envelope gives the body its shape. Counts each written error in
 * {@code payegress_errors_total{code, source, route}}.
 */
public final class MerchantSchemaResponder implements MerchantErrorResponder {

    static final String METRIC = "payegress.errors";
    static final String NO_ROUTE = "none";

    private final RouteErrorMappers mappers;
    private final ErrorEnvelope envelope;
    private final ClerkMessages messages;
    private final JsonMapper json;
    private final MediaType contentType;
    private final String contentTypeHeader;
    private final KeptCounters counters;

    public MerchantSchemaResponder(
            RouteErrorMappers mappers,
            ErrorEnvelope envelope,
            ClerkMessages messages,
            JsonMapper json,
            MeterRegistry meters) {
        this.mappers = mappers;
        this.envelope = envelope;
        this.messages = messages;
        this.json = json;
        this.counters = new KeptCounters(
                meters,
                METRIC,
                "Errors answered to the POS, by merchant code, source and route",
                "code",
                "source",
                "route");
        this.contentType = MediaType.parseMediaType(envelope.contentType());
        this.contentTypeHeader = contentType.toString();
    }

    @Override
    public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
        return mappers.forRoute(routeId(exchange)).map(failure).retryable();
    }

    @Override
    public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
        ServerHttpResponse response = exchange.getResponse();
        ErrorAnswer answer = answer(
                routeId(exchange),
                PaymentExchange.requestId(exchange),
                exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT_LANGUAGE),
                failure);
        response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(contentType);
        if (answer.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
        if (answer.upstreamRequestId() != null) {
            headers.set(ErrorAnswer.UPSTREAM_REQUEST_ID, answer.upstreamRequestId());
        }
        headers.setContentLength(answer.body().length);
        DataBuffer buffer = response.bufferFactory().wrap(answer.body());
        return response.writeWith(Mono.just(buffer));
    }

    @Override
    public ErrorAnswer answer(
            @Nullable String route, String requestId, @Nullable String acceptLanguage, PaymentFailure failure) {
        MerchantError error = mappers.forRoute(route).map(failure);
        byte[] body = render(error, requestId, ClerkLanguage.of(acceptLanguage));
        counter(error, failure, route).increment();
        return answer(error, body);
    }

    /**
     * Maps the failure and finds its counter once, and renders its body once per clerk language with the request id
     * left to put in ({@link RequestIdSplice}): the door refuses thousands of requests a second the same way.
     */
    @Override
    public PreparedAnswer prepare(@Nullable String route, PaymentFailure failure) {
        MerchantError error = mappers.forRoute(route).map(failure);
        Counter written = counter(error, failure, route);
        Map<ClerkLanguage, RequestIdSplice> bodies = new EnumMap<>(ClerkLanguage.class);
        for (ClerkLanguage language : ClerkLanguage.values()) {
            bodies.put(language, RequestIdSplice.of(requestId -> render(error, requestId, language)));
        }
        return (requestId, acceptLanguage) -> {
            byte[] body = bodies.get(ClerkLanguage.of(acceptLanguage)).body(requestId);
            written.increment();
            return answer(error, body);
        };
    }

    private byte[] render(MerchantError error, String requestId, ClerkLanguage language) {
        return envelope.render(ErrorPlaceholders.values(error, requestId, messages.message(error, language)), json);
    }

    private ErrorAnswer answer(MerchantError error, byte[] body) {
        return new ErrorAnswer(
                error.status(),
                contentTypeHeader,
                ErrorPlaceholders.retryAfterSeconds(error.retryAfter()),
                error.upstream() == null ? null : error.upstream().requestId(),
                body);
    }

    private Counter counter(MerchantError error, PaymentFailure failure, @Nullable String route) {
        return counters.get(
                error.code(),
                failure instanceof UpstreamFailure ? "wechatpay" : "gateway",
                route == null ? NO_ROUTE : route);
    }

    private static @Nullable String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? null : route.getId();
    }
}
