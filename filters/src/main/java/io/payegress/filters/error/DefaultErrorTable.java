package io.payegress.filters.error;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The built-in upstream error table for coupons/use (SPEC section 5): what a route gets when no table is configured
 * for it. WeChat's busifavor table overloads INVALID_REQUEST, so two rows tell its meanings apart by message.
 */
public final class DefaultErrorTable {

    private static final String UNAVAILABLE = "WeChat Pay is unavailable";

    private DefaultErrorTable() {}

    /** The coupons/use rows, first match wins. */
    public static List<MappingRule> couponsUse() {
        return List.of(
                rule(
                        400,
                        Set.of("PARAM_ERROR"),
                        null,
                        "UPSTREAM_PARAM_ERROR",
                        400,
                        false,
                        "WeChat Pay rejected a parameter"),
                rule(0, Set.of("SYSTEM_ERROR"), null, "UPSTREAM_UNAVAILABLE", 503, true, UNAVAILABLE),
                rule(
                        400,
                        Set.of("RESOURCE_ALREADY_EXISTS"),
                        null,
                        "COUPON_ALREADY_USED",
                        409,
                        false,
                        "Coupon already used"),
                rule(404, Set.of("RESOURCE_NOT_EXISTS"), null, "COUPON_NOT_FOUND", 404, false, "Coupon not found"),
                rule(
                        403,
                        Set.of("NOAUTH", "NO_AUTH"),
                        null,
                        "MERCHANT_NOT_AUTHORIZED",
                        403,
                        false,
                        "Merchant not authorized"),
                rule(
                        400,
                        Set.of("APPID_MCHID_NOT_MATCH"),
                        null,
                        "APPID_NOT_BOUND",
                        400,
                        false,
                        "Appid not bound to the merchant"),
                rule(400, Set.of("MCH_NOT_EXISTS"), null, "MERCHANT_NOT_FOUND", 400, false, "Merchant not found"),
                rule(404, Set.of("USER_NOT_EXISTS"), null, "USER_NOT_FOUND", 404, false, "User not found"),
                rule(
                        0,
                        Set.of("FREQUENCY_LIMITED", "RATELIMIT_EXCEEDED", "FREQUENCY_LIMIT_EXCEED"),
                        null,
                        "UPSTREAM_RATE_LIMITED",
                        429,
                        true,
                        "WeChat Pay rate limit reached"),
                rule(429, Set.of(), null, "UPSTREAM_RATE_LIMITED", 429, true, "WeChat Pay rate limit reached"),
                rule(403, Set.of("RULELIMIT"), null, "COUPON_NOT_IN_VALID_PERIOD", 422, false, "Coupon not usable now"),
                rule(
                        400,
                        Set.of("INVALID_REQUEST"),
                        "上传|upload",
                        "CODE_UPLOAD_LIMIT_REACHED",
                        400,
                        false,
                        "Custom code upload limit reached"),
                rule(
                        400,
                        Set.of("INVALID_REQUEST"),
                        "发券模式|模式|mode",
                        "INVALID_COUPON_MODE",
                        400,
                        false,
                        "Invalid coupon issuing mode"),
                rule(
                        401,
                        Set.of("SIGN_ERROR"),
                        null,
                        "UPSTREAM_AUTH_FAILED",
                        502,
                        false,
                        "WeChat Pay rejected the gateway's signature"),
                rule(502, Set.of(), null, "UPSTREAM_UNAVAILABLE", 503, true, UNAVAILABLE),
                rule(503, Set.of(), null, "UPSTREAM_UNAVAILABLE", 503, true, UNAVAILABLE));
    }

    private static MappingRule rule(
            int status,
            Set<String> codes,
            @Nullable String message,
            String merchant,
            int http,
            boolean retry,
            String title) {
        Pattern pattern = message == null ? null : Pattern.compile(message);
        return new MappingRule(status, codes, pattern, merchant, http, retry, title);
    }
}
