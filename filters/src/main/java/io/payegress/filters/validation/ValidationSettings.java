package io.payegress.filters.validation;

import java.util.Optional;

/**
 * A route's validation settings, fixed when the route is built: whether unknown top-level fields are tolerated,
 * the parser's bounds, and which body field (if any) is the route's idempotency key.
 *
 * @param allowUnknownFields when false (the default) the schema's top level gets {@code additionalProperties: false}
 * @param maxDepth maximum nesting depth of objects and arrays (default 16)
 * @param maxNumberLength maximum characters in one JSON number (default 32)
 * @param idempotencyKeyField top-level string field handed to the idempotency stage, e.g. {@code use_request_no}
 */
public record ValidationSettings(
        boolean allowUnknownFields, int maxDepth, int maxNumberLength, Optional<String> idempotencyKeyField) {

    public static final int DEFAULT_MAX_DEPTH = 16;
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 32;
    public static final String DEFAULT_IDEMPOTENCY_KEY_FIELD = "use_request_no";

    public ValidationSettings {
        if (maxDepth < 1 || maxDepth > 1_000) {
            throw new IllegalArgumentException("max-depth must be between 1 and 1000, was " + maxDepth);
        }
        if (maxNumberLength < 1 || maxNumberLength > 1_000) {
            throw new IllegalArgumentException("max-number-length must be between 1 and 1000, was " + maxNumberLength);
        }
        idempotencyKeyField = idempotencyKeyField.filter(field -> !field.isBlank());
    }

    /** The defaults: unknown fields refused, depth 16, numbers up to 32 characters, key {@code use_request_no}. */
    public static ValidationSettings defaults() {
        return new ValidationSettings(
                false, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NUMBER_LENGTH, Optional.of(DEFAULT_IDEMPOTENCY_KEY_FIELD));
    }
}
