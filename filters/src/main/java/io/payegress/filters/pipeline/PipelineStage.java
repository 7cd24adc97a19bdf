package io.payegress.filters.pipeline;

/**
 * The payment pipeline, declared once: every payegress filter takes its order from its stage here, so the
 * order in which a route lists its filters cannot change what runs first.
 *
 * <p>Requests pass the stages top to bottom; responses and errors travel back bottom to top. Error
 * normalization is outermost so that every failure, the gateway's or WeChat's, leaves in the merchant's
 * shape. Retry wraps signing, budget and forwarding, so each attempt carries a fresh signature and spends budget
 * while the body and {@code use_request_no} stay the same.
 */
public enum PipelineStage {
    /** Turns every failure into the merchant's error schema (outermost). */
    ERROR_NORMALIZATION,
    /** Takes or generates X-Request-Id, echoes it, and writes the one access-log line per request. */
    REQUEST_CONTEXT,
    /** Authenticates the tenant by its bearer API key. */
    AUTHENTICATION,
    /**
     * Refuses at once, before the body is read, a request the budget could not grant within max-wait anyway: its
     * tenant offers more than its share of the limit, and its requests ahead here, queued or on their way to the queue,
     * already hold what the budget grants it on their way and in half of max-wait. Counts every request it sees towards
     * what its tenant offers, so it runs before the signing admission, whose refusals would otherwise go uncounted (a
     * full signing backlog then hid what the tenants offered, and the rule refused nothing). At five times the limit
     * four requests in five are refused here, so a refusal costs no body read, JSON parse, schema validation, Redis
     * call or signature; the price, only for a tenant over its share: an invalid request is refused as 429
     * (retryable) instead of 400, and a replay of a completed redemption as 429 instead of its stored answer; both get
     * their answer once the limit has room.
     */
    ADMISSION,
    /**
     * Refuses at once (503, retryable) a request the replica's signing backlog could not sign before its deadline or
     * has no place for, and takes its place otherwise: before the body is read, validated or deduped, where a refusal
     * costs least, and after the budget's admission, so that only requests the limit has room for take a place.
     * Nothing is recorded for it.
     */
    SIGNING_ADMISSION,
    /** Reads the body once, under a byte cap, and requires JSON. */
    REQUEST_BODY,
    /** Validates the payload against the route's schema and the tenant's grants. */
    VALIDATION,
    /** Dedupes use_request_no and replays completed results. */
    IDEMPOTENCY,
    /** Retries transient upstream failures inside the request deadline. */
    RETRY,
    /**
     * Checks with WeChat Pay's coupon query an attempt answered RESOURCE_ALREADY_EXISTS when an earlier attempt with the
     * same use_request_no may have redeemed the coupon. Inside retry, so each attempt is judged on its own and a coupon
     * found unused is tried again within the deadline; outside signing and budget, whose work it does not repeat.
     */
    RECONCILIATION,
    /**
     * Signs the outbound request with the merchant key, on a bounded scheduler off the event loop. It runs before
     * the budget, not after: signing costs CPU and queues on the signing scheduler, so after a burst of grants the
     * last requests of the burst would leave late and bunch calls into one sliding second at WeChat (measured: of
     * 200 redemptions sent together to a fresh JVM, at least 8 missed their slot three times and got 429). A signature
     * stays valid for 5 minutes, far longer than any budget wait. The price: a request the budget then refuses was
     * signed for nothing.
     */
    SIGNING,
    /**
     * Spends the shared upstream budget, waiting in a fair queue when it is exhausted. The forward stage asks the
     * budget again as the request leaves, and a grant gone stale meanwhile sends nothing and asks for a new one.
     */
    BUDGET,
    /** Sends the exact bytes upstream, verifies the answer and writes it to the POS (innermost). */
    FORWARD;

    private static final int BASE = 1_000;
    private static final int STEP = 100;

    /** The Spring {@code Ordered} value of this stage; lower runs first on the way in. */
    public int order() {
        return BASE + ordinal() * STEP;
    }
}
