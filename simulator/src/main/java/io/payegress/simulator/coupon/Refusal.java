package io.payegress.simulator.coupon;

/** Thrown inside the coupon rules when a call must be refused; carries the WeChat error to answer. */
final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    Refusal(ApiError error) {
        super(error.code(), null, false, false);
        this.error = error;
    }

    static Refusal of(int status, String code, String message) {
        return new Refusal(ApiError.of(status, code, message));
    }

    ApiError error() {
        return error;
    }
}
