package io.payegress.filters.error;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns a {@link PaymentFailure} into the merchant's error response. One instance serves every stage, so the
 * error normalization stage and the idempotency stage (which stores final errors) render identical bytes.
 */
public interface MerchantErrorResponder {

    /** Whether the merchant is told it may send the same request (same use_request_no) again. */
    boolean retryable(ServerWebExchange exchange, PaymentFailure failure);

    /** Writes the failure to the exchange's response in the merchant's schema. */
    Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure);

    /**
     * The answer to a request refused before an exchange was made for it (at the door, on the connection's event loop:
     * {@code io.payegress.filters.door}), as {@link #write(ServerWebExchange, PaymentFailure)} would write it for the
     * same route, request id and {@code Accept-Language}; counted as written.
     */
    ErrorAnswer answer(
            @Nullable String route, String requestId, @Nullable String acceptLanguage, PaymentFailure failure);

    /**
     * The answer to {@code failure} on {@code route}, prepared for many requests: the same as {@link #answer} for each
     * request id and {@code Accept-Language}, and counted as written each time. By default each is rendered whole.
     */
    default PreparedAnswer prepare(@Nullable String route, PaymentFailure failure) {
        return (requestId, acceptLanguage) -> answer(route, requestId, acceptLanguage, failure);
    }
}
