package io.payegress.simulator.coupon;

import tools.jackson.databind.json.JsonMapper;

/**
 * What a coupon call answered: status and exact JSON body bytes, whether it moved a coupon's state
 * ({@code applied}) and whether it repeated an already-applied request number ({@code duplicate}).
 */
public record CouponOutcome(int status, byte[] body, boolean applied, boolean duplicate) {

    static CouponOutcome error(ApiError error, JsonMapper mapper) {
        return new CouponOutcome(error.status(), error.toJson(mapper), false, false);
    }

    public boolean success() {
        return status / 100 == 2;
    }
}
