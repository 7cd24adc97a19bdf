package io.payegress.filters.body;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the request body once into one array, which every later stage shares and the forward stage sends
 * unchanged. Refuses a non-JSON or non-UTF-8 Content-Type (415) and a body over the cap (413), whether or not the
 * client declared a Content-Length: the cap is enforced while the chunks arrive.
 */
public final class RequestBodyFilter implements GatewayFilter, Ordered {

    private static final byte[] EMPTY = new byte[0];

    private final int maxBytes;

    public RequestBodyFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.REQUEST_BODY);
        ServerHttpRequest request = exchange.getRequest();
        if (!isUtf8Json(request.getHeaders().getContentType())) {
            return Mono.error(new GatewayRejection(
                    GatewayCode.UNSUPPORTED_MEDIA_TYPE, "Send 'Content-Type: application/json' with a UTF-8 body."));
        }
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(RequestBodyFilter::copyAndRelease)
                .defaultIfEmpty(EMPTY)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                .flatMap(body -> {
                    PaymentExchange.body(exchange, body);
                    return chain.filter(exchange);
                });
    }

    private static boolean isUtf8Json(@Nullable MediaType contentType) {
        if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
            return false;
        }
        Charset charset = contentType.getCharset();
        return charset == null || charset.equals(StandardCharsets.UTF_8);
    }

    private static byte[] copyAndRelease(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private GatewayRejection tooLarge() {
        return new GatewayRejection(
                GatewayCode.PAYLOAD_TOO_LARGE, "The request body must not exceed " + maxBytes + " bytes.");
    }

    @Override
    public int getOrder() {
        return PipelineStage.REQUEST_BODY.order();
    }

    @Override
    public String toString() {
        return "RequestBody(max " + maxBytes + " bytes)";
    }
}
