package io.payegress.simulator.coupon;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks string fields of a JSON request body, throwing {@link Refusal} with a PARAM_ERROR naming the field
 * by JSON pointer; null, non-string, empty or over-long values are refused like WeChat does.
 */
final class BodyFields {

    private final JsonNode root;

    private BodyFields(JsonNode root) {
        this.root = root;
    }

    static BodyFields parse(JsonMapper mapper, byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new Refusal(ApiError.param("", "请求体不是合法的JSON"));
        }
        if (root == null || !root.isObject()) {
            throw new Refusal(ApiError.param("", "请求体必须是JSON对象"));
        }
        return new BodyFields(root);
    }

    String required(String name, int maxLength) {
        String value = optional(name, maxLength);
        if (value == null) {
            throw new Refusal(ApiError.param("/" + name, "缺少必填参数" + name));
        }
        return value;
    }

    @Nullable
    String optional(String name, int maxLength) {
        if (!root.has(name)) {
            return null;
        }
        JsonNode node = root.get(name);
        if (!node.isString()) {
            throw new Refusal(ApiError.param("/" + name, name + "必须是字符串"));
        }
        String value = node.asString();
        if (value.isEmpty() || value.codePointCount(0, value.length()) > maxLength) {
            throw new Refusal(ApiError.param("/" + name, name + "长度必须在1到" + maxLength + "之间"));
        }
        return value;
    }

    OffsetDateTime time(String name) {
        String value = required(name, 64);
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new Refusal(ApiError.param("/" + name, name + "必须是RFC3339格式的时间"));
        }
    }
}
