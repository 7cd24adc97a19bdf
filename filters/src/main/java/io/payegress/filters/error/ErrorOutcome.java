package io.payegress.filters.error;

import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/** Remembers which failure ended a request, so the access log can name it. */
public final class ErrorOutcome {

    private static final String ATTRIBUTE = ErrorOutcome.class.getName();

    private ErrorOutcome() {}

    public static void record(ServerWebExchange exchange, PaymentFailure failure) {
        exchange.getAttributes().put(ATTRIBUTE, failure);
    }

    public static Optional<PaymentFailure> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
