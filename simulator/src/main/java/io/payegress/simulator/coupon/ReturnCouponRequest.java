package io.payegress.simulator.coupon;

import tools.jackson.databind.json.JsonMapper;

/** The body of POST /v3/marketing/busifavor/coupons/return, checked field by field. */
public record ReturnCouponRequest(String couponCode, String stockId, String returnRequestNo) {

    static ReturnCouponRequest parse(JsonMapper mapper, byte[] body) {
        BodyFields fields = BodyFields.parse(mapper, body);
        return new ReturnCouponRequest(
                fields.required("coupon_code", 32),
                fields.required("stock_id", 20),
                fields.required("return_request_no", 128));
    }
}
