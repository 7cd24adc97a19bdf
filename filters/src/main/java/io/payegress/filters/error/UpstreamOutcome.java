package io.payegress.filters.error;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** How a call to WeChat Pay ended when it did not end in a verified success. */
public sealed interface UpstreamOutcome {

    /** WeChat answered with a non-2xx status; code and message are parsed defensively and may be absent. */
    record Answered(
            int status,
            @Nullable String code,
            @Nullable String message,
            @Nullable String requestId,
            @Nullable Duration retryAfter)
            implements UpstreamOutcome {}

    /** A 2xx whose signature, key or timestamp did not verify: the redemption may or may not have happened. */
    record SignatureInvalid(
            int status, String reason, @Nullable String requestId) implements UpstreamOutcome {}

    /** The request never reached WeChat (connect failure, no connection): safe to send again. */
    record Unreachable(String reason) implements UpstreamOutcome {}

    /** The request may have reached WeChat but no answer came (timeout, reset after sending). */
    record OutcomeUnknown(String reason) implements UpstreamOutcome {}
}
