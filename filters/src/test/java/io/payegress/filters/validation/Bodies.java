package io.payegress.filters.validation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds JSON bodies as text from the seed example, field by field, keeping raw values (so nulls, dupes, anything). */
public final class Bodies {

    private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();

    private Bodies() {}

    /** The SPEC's seed example as raw fields. */
    public static Bodies seed() {
        Bodies bodies = new Bodies();
        bodies.fields.put("coupon_code", quote("sxxe34343434"));
        bodies.fields.put("stock_id", quote("100088"));
        bodies.fields.put("appid", quote("wx1234567889999"));
        bodies.fields.put("use_time", quote("2015-05-20T13:29:35+08:00"));
        bodies.fields.put("use_request_no", quote("1002600620019090123143254435"));
        bodies.fields.put("openid", quote("xsd3434454567676"));
        return bodies;
    }

    /** Sets a field to a raw JSON value, e.g. {@code "\"x\""}, {@code "null"} or {@code "5"}. */
    public Bodies raw(String field, String rawJson) {
        fields.put(field, rawJson);
        return this;
    }

    /** Sets a field to a string value. */
    public Bodies with(String field, String value) {
        return raw(field, quote(value));
    }

    public Bodies without(String field) {
        fields.remove(field);
        return this;
    }

    public String json() {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    public Map<String, String> fields() {
        return Map.copyOf(fields);
    }

    /** A JSON string literal; escapes quote and backslash only, so callers control everything else. */
    public static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
