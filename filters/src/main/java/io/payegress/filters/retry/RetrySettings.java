package io.payegress.filters.retry;

import java.time.Duration;

/**
 * How a route retries: the request's whole deadline (all attempts, budget waits and backoffs included), the
 * maximum number of attempts, and the backoff between them.
 */
public record RetrySettings(Duration deadline, int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
    }
}
