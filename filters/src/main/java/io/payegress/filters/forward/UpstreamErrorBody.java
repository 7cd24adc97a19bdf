package io.payegress.filters.forward;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WeChat's error body {@code {"code": .., "message": ..}}, parsed defensively: HTML pages, empty and truncated
 * bodies and JSON of another shape give absent code and message instead of an exception.
 */
public record UpstreamErrorBody(
        @Nullable String code, @Nullable String message) {

    private static final int MAX_MESSAGE_CHARS = 256;

    public static UpstreamErrorBody parse(JsonMapper json, byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return new UpstreamErrorBody(null, null);
        }
        try {
            JsonNode node = json.readTree(body);
            return new UpstreamErrorBody(text(node, "code"), text(node, "message"));
        } catch (JacksonException e) {
            return new UpstreamErrorBody(null, null);
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        String text = value.asString();
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) : text;
    }
}
