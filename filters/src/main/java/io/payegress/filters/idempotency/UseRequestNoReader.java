package io.payegress.filters.idempotency;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the idempotency key (a JSON string at a pointer) from the exact body bytes, for routes where the validation
 * stage did not already hand it down.
 */
final class UseRequestNoReader {

    private final JsonMapper json;

    UseRequestNoReader(JsonMapper json) {
        this.json = json;
    }

    /** The non-blank string at {@code pointer}; empty for invalid JSON, a missing member or a non-string. */
    Optional<String> read(byte[] body, JsonPointer pointer) {
        try {
            JsonNode node = json.readTree(body).at(pointer);
            return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
