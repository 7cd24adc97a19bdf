package io.payegress.filters.signing;

import java.time.Duration;

/**
 * How much signing work one gateway replica lets queue: at most {@code maxPending} requests waiting for or holding a
 * signing thread, and none that waited longer than {@code maxQueueTime} for one.
 */
public record SigningSettings(Duration maxQueueTime, int maxPending) {

    public SigningSettings {
        if (maxQueueTime.isNegative() || maxQueueTime.isZero()) {
            throw new IllegalArgumentException("max-queue-time must be positive");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("max-pending must be at least 1");
        }
    }
}
