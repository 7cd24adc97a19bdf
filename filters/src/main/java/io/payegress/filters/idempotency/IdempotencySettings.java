package io.payegress.filters.idempotency;

import java.time.Duration;
import tools.jackson.core.JsonPointer;

/**
 * One route's idempotency settings: where {@code use_request_no} sits in the body, how long an in-flight claim lives
 * (must exceed the route deadline), how long a completed response is replayed, how long a duplicate waits for the
 * first request, and what happens when the store fails.
 */
public record IdempotencySettings(
        JsonPointer keyPointer,
        Duration inFlightTtl,
        Duration completedTtl,
        Duration inFlightWait,
        FailurePolicy failurePolicy) {

    public IdempotencySettings {
        if (inFlightTtl.isNegative() || inFlightTtl.isZero()) {
            throw new IllegalArgumentException("in-flight-ttl must be positive");
        }
        if (completedTtl.compareTo(inFlightTtl) < 0) {
            throw new IllegalArgumentException("completed-ttl must be at least in-flight-ttl");
        }
        if (inFlightWait.isNegative() || inFlightWait.compareTo(inFlightTtl) > 0) {
            throw new IllegalArgumentException("in-flight-wait must be between 0 and in-flight-ttl");
        }
        if (keyPointer.matches()) {
            throw new IllegalArgumentException("key-pointer must point into the body, not at its root");
        }
    }
}
