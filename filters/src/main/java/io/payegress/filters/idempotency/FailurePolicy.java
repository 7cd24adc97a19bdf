package io.payegress.filters.idempotency;

/** What the idempotency stage does when its shared store (Redis) fails; every such failure is counted. */
public enum FailurePolicy {
    /** Refuse the request with SERVICE_UNAVAILABLE (retryable): no request runs without a shared claim. */
    FAIL_CLOSED,
    /**
     * Run the request with a per-replica in-memory store: duplicates landing on the same replica are still deduped,
     * and WeChat itself dedupes a resent {@code use_request_no}, so a coupon is never redeemed twice.
     */
    FAIL_OPEN_LOCAL
}
