package io.payegress.filters.error;

/**
 * A request that ends without a WeChat success: raised by any stage and rendered by error normalization.
 * It carries no stack trace: these are expected outcomes, not bugs, and a trace must never reach a POS.
 */
public abstract sealed class PaymentFailure extends RuntimeException permits GatewayRejection, UpstreamFailure {

    protected PaymentFailure(String message) {
        super(message, null, false, false);
    }
}
