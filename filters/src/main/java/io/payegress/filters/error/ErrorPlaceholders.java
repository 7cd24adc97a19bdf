package io.payegress.filters.error;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The values an error envelope template can place, by name, with their JSON types: {@code status} and
 * {@code retry_after} are numbers, {@code retryable} a boolean, {@code errors} a list of {pointer, detail},
 * {@code upstream} an object; the rest are strings. Values that do not apply (no upstream answer, no Retry-After)
 * are absent.
 */
public final class ErrorPlaceholders {

    /** Every name a template may use inside {@code ${...}}. */
    public static final Set<String> NAMES = Set.of(
            "type",
            "code",
            "title",
            "message",
            "detail",
            "status",
            "retryable",
            "retry_after",
            "request_id",
            "errors",
            "upstream",
            "upstream.status",
            "upstream.code",
            "upstream.message",
            "upstream.request_id");

    private ErrorPlaceholders() {}

    /** The values for one error; absent ones are missing from the map. */
    public static Map<String, Object> values(MerchantError error, String requestId, String message) {
        Map<String, Object> values = new HashMap<>();
        values.put("type", "urn:payegress:error:" + error.code());
        values.put("code", error.code());
        values.put("title", error.title());
        values.put("message", message);
        values.put("detail", error.detail());
        values.put("status", error.status());
        values.put("retryable", error.retryable());
        putIfPresent(values, "retry_after", retryAfterSeconds(error.retryAfter()));
        values.put("request_id", requestId);
        values.put("errors", errors(error.errors()));
        MerchantError.Upstream upstream = error.upstream();
        if (upstream != null) {
            values.put("upstream", upstream(upstream));
            values.put("upstream.status", upstream.status());
            putIfPresent(values, "upstream.code", upstream.code());
            putIfPresent(values, "upstream.message", upstream.message());
            putIfPresent(values, "upstream.request_id", upstream.requestId());
        }
        return values;
    }

    /** The Retry-After header value in whole seconds (at least 1), or null when there is none. */
    public static @Nullable Long retryAfterSeconds(@Nullable Duration retryAfter) {
        return retryAfter == null ? null : Math.max(1, retryAfter.toSeconds());
    }

    private static void putIfPresent(Map<String, Object> values, String name, @Nullable Object value) {
        if (value != null) {
            values.put(name, value);
        }
    }

    private static List<Map<String, String>> errors(List<FieldError> errors) {
        return errors.stream().map(ErrorPlaceholders::fieldError).toList();
    }

    private static Map<String, String> fieldError(FieldError error) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("pointer", error.pointer());
        map.put("detail", error.detail());
        return map;
    }

    private static Map<String, @Nullable Object> upstream(MerchantError.Upstream upstream) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        map.put("status", upstream.status());
        map.put("code", upstream.code());
        map.put("message", upstream.message());
        map.put("request_id", upstream.requestId());
        return map;
    }
}
