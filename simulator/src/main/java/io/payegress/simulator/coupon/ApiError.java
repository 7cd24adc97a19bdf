package io.payegress.simulator.coupon;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A WeChat-shaped error answer: HTTP status plus {@code {"code","message","detail"?}}; the detail, when present,
 * names the offending field as a JSON pointer with its location ("body").
 */
public record ApiError(
        int status,
        String code,
        String message,
        @Nullable String field,
        @Nullable String issue) {

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, null, null);
    }

    /** 400 PARAM_ERROR about one body field. */
    public static ApiError param(String pointer, String issue) {
        return new ApiError(400, "PARAM_ERROR", "参数错误：" + issue, pointer, issue);
    }

    /** The JSON body bytes, UTF-8, fields in a fixed order. */
    public byte[] toJson(JsonMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("code", code);
        root.put("message", message);
        if (field != null) {
            ObjectNode detail = root.putObject("detail");
            detail.put("field", field);
            detail.put("location", "body");
            detail.put("issue", issue);
        }
        return mapper.writeValueAsBytes(root);
    }
}
