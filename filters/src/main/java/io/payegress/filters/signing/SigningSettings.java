package io.payegress.filters.signing;

import java.time.Duration;

/**
 * How much signing work one gateway replica lets queue, and when a queued request is no longer worth signing.
 *
 * @param minTimeLeft the time a request must still have before its deadline when a signing thread picks it up, to be
 *     signed: what it needs after signing to have a real chance of a budget grant and WeChat's answer. One with less
 *     left is refused unsigned; one without a deadline never is. Zero refuses only requests whose deadline has passed
 * @param maxPending how many places the backlog has: requests queued for or holding a signing thread, or on their way
 *     to it with a place taken at the signing admission; a request beyond is refused
 */
public record SigningSettings(Duration minTimeLeft, int maxPending) {

    public SigningSettings {
        if (minTimeLeft.isNegative()) {
            throw new IllegalArgumentException("min-time-left must not be negative");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("max-pending must be at least 1");
        }
    }
}
