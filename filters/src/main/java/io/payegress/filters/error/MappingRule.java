package io.payegress.filters.error;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One row of the upstream error table: matches WeChat's status (0 = any), code (empty = any) and optionally a
 * message pattern, and names the merchant code, HTTP status and retry rule it becomes.
 */
public record MappingRule(
        int upstreamStatus,
        Set<String> upstreamCodes,
        @Nullable Pattern messagePattern,
        String merchantCode,
        int httpStatus,
        boolean retryable,
        String title) {

    public MappingRule {
        upstreamCodes = Set.copyOf(upstreamCodes);
    }

    boolean matches(int status, @Nullable String code, @Nullable String message) {
        if (upstreamStatus != 0 && upstreamStatus != status) {
            return false;
        }
        if (!upstreamCodes.isEmpty() && (code == null || !upstreamCodes.contains(code))) {
            return false;
        }
        return messagePattern == null
                || (message != null && messagePattern.matcher(message).find());
    }
}
