package io.payegress.simulator.admin;

import io.payegress.simulator.coupon.CodeMode;
import io.payegress.simulator.coupon.Coupon;
import io.payegress.simulator.coupon.CouponState;
import io.payegress.simulator.coupon.Stock;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Turns admin JSON bodies (snake_case) into stocks, coupons and fault specs; bad input throws IllegalArgumentException. */
final class AdminRequests {

    private static final String DEFAULT_BEGIN = "2015-01-01T00:00:00+08:00";
    private static final String DEFAULT_END = "2035-12-31T23:59:59+08:00";

    private AdminRequests() {}

    static Stock stock(JsonNode body) {
        return new Stock(
                text(body, "stock_id"),
                text(body, "owner_mchid"),
                CodeMode.valueOf(text(body, "code_mode", CodeMode.MERCHANT_API.name())),
                OffsetDateTime.parse(text(body, "valid_begin", DEFAULT_BEGIN)),
                OffsetDateTime.parse(text(body, "valid_end", DEFAULT_END)),
                body.path("issue_mode_invalid").asBoolean(false),
                body.path("upload_limit_reached").asBoolean(false));
    }

    static Coupon coupon(JsonNode body) {
        Coupon coupon = Coupon.sended(
                text(body, "coupon_code"), text(body, "stock_id"), text(body, "appid"), optional(body, "openid"));
        CouponState state = CouponState.valueOf(text(body, "state", CouponState.SENDED.name()));
        if (state == CouponState.USED) {
            return coupon.used(
                    text(body, "use_request_no"), text(body, "wechatpay_use_time", "2020-01-01T10:00:00+08:00"));
        }
        return coupon;
    }

    static FaultSpec fault(JsonNode body) {
        FaultType type = FaultType.valueOf(text(body, "type").toUpperCase(Locale.ROOT));
        FaultPhase phase = FaultPhase.valueOf(text(body, "phase", "BEFORE").toUpperCase(Locale.ROOT));
        int count = body.path("until_cleared").asBoolean(false)
                ? FaultSpec.UNTIL_CLEARED
                : body.path("count").asInt(1);
        return new FaultSpec(
                type,
                phase,
                count,
                body.path("latency_ms").asLong(0),
                optional(body, "path"),
                body.path("probability").asDouble(1.0));
    }

    static String text(JsonNode body, String name) {
        String value = optional(body, name);
        if (value == null) {
            throw new IllegalArgumentException("missing string field " + name);
        }
        return value;
    }

    static String text(JsonNode body, String name, String fallback) {
        String value = optional(body, name);
        return value == null ? fallback : value;
    }

    static @Nullable String optional(JsonNode body, String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return node.asString();
    }
}
