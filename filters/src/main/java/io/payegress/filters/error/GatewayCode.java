package io.payegress.filters.error;

/** The gateway's own error codes: those it answers without WeChat having said anything. */
public enum GatewayCode {
    VALIDATION_FAILED(400, false, "The request is not valid"),
    UNSUPPORTED_MEDIA_TYPE(415, false, "The request must be JSON"),
    PAYLOAD_TOO_LARGE(413, false, "The request body is too large"),
    UNAUTHENTICATED(401, false, "Missing or unknown API key"),
    FORBIDDEN(403, false, "The tenant may not use this resource"),
    NOT_FOUND(404, false, "No such API on this gateway"),
    METHOD_NOT_ALLOWED(405, false, "Method not allowed"),
    REQUEST_IN_PROGRESS(409, true, "A request with this use_request_no is still in progress"),
    IDEMPOTENCY_KEY_REUSED(422, false, "This use_request_no was already used with a different body"),
    RATE_LIMITED(429, true, "The shared upstream budget is exhausted"),
    SERVICE_UNAVAILABLE(503, true, "The gateway cannot safely take this request now"),
    INTERNAL_ERROR(500, false, "Internal error");

    private final int status;
    private final boolean retryable;
    private final String title;

    GatewayCode(int status, boolean retryable, String title) {
        this.status = status;
        this.retryable = retryable;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public String title() {
        return title;
    }
}
