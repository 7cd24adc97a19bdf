package io.payegress.gateway.config;

import io.payegress.filters.signing.SigningSettings;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payegress.signing.*}: how much signing work one replica lets queue before it answers a retryable 503, so
 * that under overload requests are refused at once instead of waiting for a signing thread until their deadline.
 *
 * @param maxQueueTime how long a request may wait for a signing thread; one that waited longer is refused unsigned
 *     (the budget's max-wait defaults to the same 1 s)
 * @param maxPending how many requests may be queued for or holding a signing thread; an arrival beyond is refused
 */
@Validated
@ConfigurationProperties("payegress.signing")
public record SigningProperties(
        @DefaultValue("1s") Duration maxQueueTime,
        @DefaultValue("1000") @Min(1) int maxPending) {

    /** The filter's settings; refuses a non-positive max-queue-time. */
    public SigningSettings settings() {
        return new SigningSettings(maxQueueTime, maxPending);
    }
}
