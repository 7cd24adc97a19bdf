package io.payegress.filters.error;

import org.jspecify.annotations.Nullable;

/**
 * A failure rendered in the merchant's schema, as the bytes and headers of its answer: what
 * {@link MerchantErrorResponder#write(org.springframework.web.server.ServerWebExchange, PaymentFailure)} writes to an
 * exchange, for a request refused where no exchange is made (at the door, on the connection's event loop).
 *
 * @param contentType the envelope's media type, as the {@code Content-Type} header gives it
 * @param retryAfterSeconds the {@code Retry-After} header, or null for none
 * @param upstreamRequestId the {@code X-Upstream-Request-Id} header (WeChat's {@code Request-ID}), or null for none
 */
public record ErrorAnswer(
        int status,
        String contentType,
        @Nullable Long retryAfterSeconds,
        @Nullable String upstreamRequestId,
        byte[] body) {

    /** The header that carries {@link #upstreamRequestId}. */
    public static final String UPSTREAM_REQUEST_ID = "X-Upstream-Request-Id";
}
