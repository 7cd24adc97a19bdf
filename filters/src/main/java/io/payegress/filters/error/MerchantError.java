package io.payegress.filters.error;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A failure as the merchant sees it: its HTTP status, its stable code, whether the same request may be sent again,
 * the field problems and, when WeChat answered, what WeChat said.
 */
public record MerchantError(
        int status,
        String code,
        boolean retryable,
        String title,
        String detail,
        List<FieldError> errors,
        @Nullable Upstream upstream,
        @Nullable Duration retryAfter) {

    public MerchantError {
        errors = List.copyOf(errors);
    }

    /** What WeChat answered, when it answered. */
    public record Upstream(
            int status,
            @Nullable String code,
            @Nullable String message,
            @Nullable String requestId) {}
}
