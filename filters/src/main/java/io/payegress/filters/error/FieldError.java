package io.payegress.filters.error;

/** One problem with one field of the request body, located by a JSON pointer (RFC 6901). */
public record FieldError(String pointer, String detail) {}
