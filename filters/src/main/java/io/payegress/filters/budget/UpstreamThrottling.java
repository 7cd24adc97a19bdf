package io.payegress.filters.budget;

import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import java.util.Set;

/** Tells whether a WeChat failure means "you are calling too fast": HTTP 429 or a FREQUENCY_LIMIT* style code. */
public final class UpstreamThrottling {

    private static final Set<String> CODES =
            Set.of("FREQUENCY_LIMITED", "RATELIMIT_EXCEEDED", "FREQUENCY_LIMIT_EXCEED", "FREQUENCY_LIMIT");

    private UpstreamThrottling() {}

    /** True when the failure is an answer with status 429 or a rate-limit code. */
    public static boolean isThrottling(Throwable failure) {
        if (failure instanceof UpstreamFailure upstream
                && upstream.outcome() instanceof UpstreamOutcome.Answered answered) {
            return answered.status() == 429 || (answered.code() != null && CODES.contains(answered.code()));
        }
        return false;
    }
}
