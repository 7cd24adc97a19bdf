package io.payegress.filters.error;

/** A call to WeChat Pay that did not end in a verified 2xx. */
public final class UpstreamFailure extends PaymentFailure {

    private final UpstreamOutcome outcome;

    public UpstreamFailure(UpstreamOutcome outcome) {
        super(outcome.toString());
        this.outcome = outcome;
    }

    public UpstreamOutcome outcome() {
        return outcome;
    }

    /**
     * Whether the gateway itself may send the same request again: WeChat was not reached, did not answer,
     * answered 5xx, or said SYSTEM_ERROR (its documented "call again with the same parameters").
     */
    public boolean isTransient() {
        if (outcome instanceof UpstreamOutcome.Answered answered) {
            return answered.status() >= 500 || "SYSTEM_ERROR".equals(answered.code());
        }
        return outcome instanceof UpstreamOutcome.Unreachable || outcome instanceof UpstreamOutcome.OutcomeUnknown;
    }
}
