package io.payegress.filters.validation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The value rules a schema cannot say, checked over the whole parsed tree: no JSON {@code null} anywhere (WeChat
 * wants absent keys) and no character outside the Basic Multilingual Plane in any string or field name, whether it
 * arrived as 4-byte UTF-8 or as an escaped surrogate pair (such as {@code "\\ud83d\\ude00"}); an escaped unpaired
 * surrogate, which no UTF-8 can carry, counts as invalid UTF-8.
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
            checkCharacters(node.asString(), pointer, problems);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String child = Problem.child(pointer, property.getKey());
                checkCharacters(property.getKey(), child, problems);
                walk(property.getValue(), child, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, problems);
            }
        }
    }

    /** One problem per string at most: an unpaired surrogate escape, else a supplementary (4-byte) character. */
    private static void checkCharacters(String value, String pointer, List<Problem> problems) {
        boolean supplementary = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                supplementary = true;
                i++;
            } else {
                problems.add(new Problem(
                        pointer, "must not contain an unpaired \\u surrogate escape", RejectionReason.INVALID_UTF8));
                return;
            }
        }
        if (supplementary) {
            problems.add(new Problem(
                    pointer,
                    "must not contain emoji or other characters outside the Basic Multilingual Plane (4-byte UTF-8)",
                    RejectionReason.FOUR_BYTE_UTF8));
        }
    }
}
