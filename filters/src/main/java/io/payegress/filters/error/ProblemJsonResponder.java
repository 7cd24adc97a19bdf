package io.payegress.filters.error;

import io.payegress.filters.pipeline.PaymentExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders failures as RFC 9457 {@code application/problem+json} with the members {@code code}, {@code retryable},
 * {@code request_id}, {@code errors} and {@code upstream}.
 */
public final class ProblemJsonResponder implements MerchantErrorResponder {

    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType("application/problem+json");

    private final MerchantErrorMapper mapper;
    private final JsonMapper json;

    public ProblemJsonResponder(MerchantErrorMapper mapper, JsonMapper json) {
        this.mapper = mapper;
        this.json = json;
    }

    @Override
    public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
        return mapper.map(failure).retryable();
    }

    @Override
    public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
        MerchantError error = mapper.map(failure);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(error.status()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(PROBLEM_JSON);
        if (error.retryAfter() != null) {
            headers.set(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, error.retryAfter().toSeconds())));
        }
        if (error.upstream() != null && error.upstream().requestId() != null) {
            headers.set("X-Upstream-Request-Id", error.upstream().requestId());
        }
        byte[] body = json.writeValueAsBytes(body(error, PaymentExchange.requestId(exchange)));
        headers.setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    static Map<String, Object> body(MerchantError error, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:payegress:error:" + error.code());
        body.put("title", error.title());
        body.put("status", error.status());
        body.put("detail", error.detail());
        body.put("code", error.code());
        body.put("retryable", error.retryable());
        body.put("request_id", requestId);
        body.put("errors", errors(error.errors()));
        if (error.upstream() != null) {
            body.put("upstream", upstream(error.upstream()));
        }
        return body;
    }

    private static List<Map<String, String>> errors(List<FieldError> errors) {
        return errors.stream()
                .map(e -> Map.of("pointer", e.pointer(), "detail", e.detail()))
                .toList();
    }

    private static Map<String, Object> upstream(MerchantError.Upstream upstream) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", upstream.status());
        map.put("code", upstream.code());
        map.put("message", upstream.message());
        map.put("request_id", upstream.requestId());
        return map;
    }
}
