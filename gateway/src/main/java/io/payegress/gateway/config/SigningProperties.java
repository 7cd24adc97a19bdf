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
 * @param minTimeLeft the time a request must still have before its deadline when a signing thread picks it up; one
 *     with less is refused unsigned, one without a deadline never is. Default 1 s, the budget's default max-wait:
 *     the longest a signed request waits for a grant; with the routes' 8 s deadline, a request is refused only after
 *     about 7 s in the signing queue
 * @param maxPending how many places the backlog has: requests queued for or holding a signing thread, or on their way
 *     to it with a place taken at the signing admission; a request beyond is refused. Default 250: about one and a
 *     half seconds of a replica's share of WeChat's 500 a second across three replicas. A replica whose signing
 *     threads fall behind at overload then holds at most that much on its way to a signature, where 1,000 held 6-7 s
 *     of it, which kept the replica behind for the rest of the run (docs/benchmarks.md, session 36)
 */
@Validated
@ConfigurationProperties("payegress.signing")
public record SigningProperties(
        @DefaultValue("1s") Duration minTimeLeft,
        @DefaultValue("250") @Min(1) int maxPending) {

    /** The filter's settings; refuses a negative min-time-left. */
    public SigningSettings settings() {
        return new SigningSettings(minTimeLeft, maxPending);
    }
}
