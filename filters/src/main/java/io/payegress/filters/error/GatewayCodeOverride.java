package io.payegress.filters.error;

/**
 * How a merchant renames one of the gateway's own codes: the merchant code and HTTP status it is answered with.
 * Whether it is retryable is not overridable: that is a fact about the request's dedupe state, not a naming choice.
 */
public record GatewayCodeOverride(String merchantCode, int status) {}
