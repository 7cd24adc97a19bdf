package io.payegress.filters.error;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The gateway refused or could not handle the request itself; WeChat was not asked (or not reached). */
public final class GatewayRejection extends PaymentFailure {

    private final GatewayCode code;
    private final List<FieldError> errors;
    private final @Nullable Duration retryAfter;

    public GatewayRejection(GatewayCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    public GatewayRejection(GatewayCode code, String detail, List<FieldError> errors, @Nullable Duration retryAfter) {
        super(detail);
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public GatewayCode code() {
        return code;
    }

    /** A sentence for the store developer; never holds keys, bodies or internals. */
    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
