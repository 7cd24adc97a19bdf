package io.payegress.filters.forward;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one route talks to WeChat Pay: connect and response timeouts per attempt, the User-Agent, the WeChat Pay
 * public-key id sent as Wechatpay-Serial (absent: the header is not sent), and the largest answer accepted.
 */
public record ForwardSettings(
        Duration connectTimeout,
        Duration responseTimeout,
        String userAgent,
        @Nullable String wechatpaySerial,
        int maxResponseBytes) {}
