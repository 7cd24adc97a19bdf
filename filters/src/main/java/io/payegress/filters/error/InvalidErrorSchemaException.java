package io.payegress.filters.error;

/**
 * A configured error schema that cannot work (unknown placeholder, bad regex, bad status); the message names the
 * offending property so that the application fails to start with a clear reason.
 */
public final class InvalidErrorSchemaException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidErrorSchemaException(String property, String problem) {
        super(property + ": " + problem);
    }
}
