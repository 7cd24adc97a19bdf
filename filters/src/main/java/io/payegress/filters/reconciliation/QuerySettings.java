package io.payegress.filters.reconciliation;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the coupon query talks to WeChat Pay: connect and response timeouts per attempt, at most {@code maxAttempts}
 * attempts with exponential backoff between them (all within the query's deadline), the User-Agent and the
 * Wechatpay-Serial to send (absent: not sent).
 */
public record QuerySettings(
        Duration connectTimeout,
        Duration responseTimeout,
        int maxAttempts,
        Duration firstBackoff,
        Duration maxBackoff,
        String userAgent,
        @Nullable String wechatpaySerial) {

    public QuerySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("the coupon query needs at least one attempt");
        }
        if (!positive(connectTimeout) || !positive(responseTimeout) || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("the coupon query's timeouts must be positive");
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
