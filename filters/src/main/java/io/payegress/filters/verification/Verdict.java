package io.payegress.filters.verification;

import java.util.Objects;

/** The outcome of verifying one WeChat Pay response: valid, or invalid with a reason safe to log and count. */
public record Verdict(boolean valid, String reason) {

    private static final Verdict OK = new Verdict(true, "valid");

    public Verdict {
        Objects.requireNonNull(reason, "reason");
        if (!valid && reason.isBlank()) {
            throw new IllegalArgumentException("an invalid verdict needs a reason");
        }
    }

    public static Verdict ok() {
        return OK;
    }

    public static Verdict invalid(String reason) {
        return new Verdict(false, reason);
    }
}
