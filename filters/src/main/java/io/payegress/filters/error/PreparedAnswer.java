package io.payegress.filters.error;

import org.jspecify.annotations.Nullable;

/**
 * The answer to one failure on one route, prepared once for the many requests that get it the same way (the door's
 * refusal: thousands a second at five times the limit) and completed for each with its request id and
 * {@code Accept-Language} ({@link MerchantErrorResponder#prepare}).
 */
@FunctionalInterface
public interface PreparedAnswer {

    /**
     * The answer for this request: the same status, headers and bytes as {@link MerchantErrorResponder#answer} gives
     * for the same route, failure, request id and {@code Accept-Language}; counted as written.
     */
    ErrorAnswer answer(String requestId, @Nullable String acceptLanguage);
}
