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

    /**
     * WeChat answered (e.g. RESOURCE_ALREADY_EXISTS) after an earlier attempt may have redeemed the coupon, and the
     * answer could not be checked (no openid to query with, or the query failed or ran out of time): the outcome
     * is unknown. Not retried by the gateway; the POS may send the same use_request_no again.
     */
    record Unresolved(Cause cause, Answered answered) implements UpstreamOutcome {

        /** Why the answer could not be checked. */
        public enum Cause {
            /** The request has no openid, which the coupon query needs. */
            NO_OPENID,
            /** The coupon query did not succeed in time (its budget, its retries or the deadline ran out). */
            QUERY_FAILED,
            /** The query gave no usable answer (the coupon or user not found, or an unknown state). */
            QUERY_INCONCLUSIVE
        }
    }
}
