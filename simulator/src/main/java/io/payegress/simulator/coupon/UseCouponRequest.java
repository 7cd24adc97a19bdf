package io.payegress.simulator.coupon;

import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** The body of POST /v3/marketing/busifavor/coupons/use, checked field by field. */
public record UseCouponRequest(
        String couponCode,
        @Nullable String stockId,
        String appid,
        OffsetDateTime useTime,
        String useRequestNo,
        @Nullable String openid) {

    /** Parses the raw body; throws an exception carrying the PARAM_ERROR when a field is missing or invalid. */
    static UseCouponRequest parse(JsonMapper mapper, byte[] body) {
        BodyFields fields = BodyFields.parse(mapper, body);
        return new UseCouponRequest(
                fields.required("coupon_code", 32),
                fields.optional("stock_id", 20),
                fields.required("appid", 32),
                fields.time("use_time"),
                fields.required("use_request_no", 128),
                fields.optional("openid", 128));
    }
}
