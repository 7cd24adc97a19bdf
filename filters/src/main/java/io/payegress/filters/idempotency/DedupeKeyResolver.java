package io.payegress.filters.idempotency;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import java.util.List;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.core.JsonPointer;

/**
 * Builds a request's {@link DedupeKey}: the configured merchant id, the route id and the {@code use_request_no} the
 * validation stage handed down, or else the string at the route's key pointer in the body.
 */
final class DedupeKeyResolver {

    private final String merchantId;
    private final JsonPointer pointer;
    private final UseRequestNoReader reader;

    DedupeKeyResolver(String merchantId, JsonPointer pointer, UseRequestNoReader reader) {
        this.merchantId = merchantId;
        this.pointer = pointer;
        this.reader = reader;
    }

    /** The key; a missing or overlong number is the merchant's VALIDATION_FAILED. */
    DedupeKey resolve(ServerWebExchange exchange, byte[] body) {
        String useRequestNo = PaymentExchange.useRequestNo(exchange)
                .or(() -> reader.read(body, pointer))
                .orElseThrow(() -> invalid("is required"));
        if (useRequestNo.length() > DedupeKey.MAX_COMPONENT_LENGTH) {
            throw invalid("is longer than " + DedupeKey.MAX_COMPONENT_LENGTH + " characters");
        }
        return new DedupeKey(merchantId, PaymentExchange.routeId(exchange), useRequestNo);
    }

    private GatewayRejection invalid(String problem) {
        return new GatewayRejection(
                GatewayCode.VALIDATION_FAILED,
                "The idempotency key " + problem + ".",
                List.of(new FieldError(pointer.toString(), "the idempotency key " + problem)),
                null);
    }
}
