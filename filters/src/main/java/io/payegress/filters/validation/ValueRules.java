package io.payegress.filters.validation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The value rules a schema cannot say, checked over the whole parsed tree: no JSON {@code null} anywhere (WeChat
 * wants absent keys) and no character outside the Basic Multilingual Plane in any string or field name, whether it
 * arrived as 4-byte UTF-8 or as an escaped surrogate pair (such as {@code "\\ud83d\\ude00"}).
 */
final class ValueRules {

    private ValueRules() {}

    static void check(JsonNode tree, List<Problem> problems) {
        walk(tree, "", problems);
    }

    private static void walk(JsonNode node, String pointer, List<Problem> problems) {
        if (node.isNull()) {
            problems.add(new Problem(pointer, "must be left out rather than set to null", RejectionReason.NULL_VALUE));
        } else if (node.isString()) {
            if (hasSupplementary(node.asString())) {
                problems.add(fourByte(pointer));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String child = pointer + "/" + escape(property.getKey());
                if (hasSupplementary(property.getKey())) {
                    problems.add(fourByte(child));
                }
                walk(property.getValue(), child, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, problems);
            }
        }
    }

    private static Problem fourByte(String pointer) {
        return new Problem(
                pointer,
                "must not contain emoji or other characters outside the Basic Multilingual Plane (4-byte UTF-8)",
                RejectionReason.FOUR_BYTE_UTF8);
    }

    private static boolean hasSupplementary(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Escapes one reference token per RFC 6901. */
    static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }
}
