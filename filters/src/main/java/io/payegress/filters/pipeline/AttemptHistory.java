package io.payegress.filters.pipeline;

/**
 * What the dedupe stage knows, when a request claims its {@code use_request_no}, about earlier requests with the same
 * number: whether one of their attempts may have reached WeChat Pay. A later RESOURCE_ALREADY_EXISTS is final only
 * when none can have.
 */
public enum AttemptHistory {
    /** The shared record shows no earlier request with this number that wrote an attempt to WeChat Pay. */
    NONE,
    /** An earlier request with this number wrote an attempt and ended without a final answer, or its replica died. */
    EARLIER_ATTEMPT,
    /**
     * The shared store cannot vouch for the number's history: it failed on this claim (the local fallback answered) or
     * recently on this replica, so records of earlier attempts may be missing; or replicas share it under
     * FAIL_OPEN_LOCAL, so one of them may have attempted under a local claim while Redis failed for it alone.
     */
    UNKNOWN;

    /** Whether an earlier attempt with this number may have redeemed the coupon. */
    public boolean mayHaveReachedWeChat() {
        return this != NONE;
    }
}
