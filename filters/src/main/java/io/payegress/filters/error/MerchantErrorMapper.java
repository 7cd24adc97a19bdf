package io.payegress.filters.error;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps every failure, the gateway's own or WeChat's, to a {@link MerchantError}: upstream answers by the first
 * matching rule of the route's table, else by status class; transport failures and bad signatures by kind.
 */
public final class MerchantErrorMapper {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final List<MappingRule> rules;

    public MerchantErrorMapper(List<MappingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The default table of SPEC section 5 for coupons/use. */
    public static MerchantErrorMapper couponsUseDefaults() {
        return new MerchantErrorMapper(List.of(
                rule(400, "PARAM_ERROR", null, "UPSTREAM_PARAM_ERROR", 400, false, "WeChat Pay rejected a parameter"),
                rule(0, "SYSTEM_ERROR", null, "UPSTREAM_UNAVAILABLE", 503, true, "WeChat Pay is unavailable"),
                rule(400, "RESOURCE_ALREADY_EXISTS", null, "COUPON_ALREADY_USED", 409, false, "Coupon already used"),
                rule(404, "RESOURCE_NOT_EXISTS", null, "COUPON_NOT_FOUND", 404, false, "Coupon not found"),
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
                        "APPID_MCHID_NOT_MATCH",
                        null,
                        "APPID_NOT_BOUND",
                        400,
                        false,
                        "Appid not bound to the merchant"),
                rule(400, "MCH_NOT_EXISTS", null, "MERCHANT_NOT_FOUND", 400, false, "Merchant not found"),
                rule(404, "USER_NOT_EXISTS", null, "USER_NOT_FOUND", 404, false, "User not found"),
                rule(
                        0,
                        Set.of("FREQUENCY_LIMITED", "RATELIMIT_EXCEEDED", "FREQUENCY_LIMIT_EXCEED"),
                        null,
                        "UPSTREAM_RATE_LIMITED",
                        429,
                        true,
                        "WeChat Pay rate limit reached"),
                rule(429, Set.of(), null, "UPSTREAM_RATE_LIMITED", 429, true, "WeChat Pay rate limit reached"),
                rule(403, "RULELIMIT", null, "COUPON_NOT_IN_VALID_PERIOD", 422, false, "Coupon not usable now"),
                rule(
                        400,
                        "INVALID_REQUEST",
                        "上传|upload",
                        "CODE_UPLOAD_LIMIT_REACHED",
                        400,
                        false,
                        "Custom code upload limit reached"),
                rule(
                        400,
                        "INVALID_REQUEST",
                        "发券模式|模式|mode",
                        "INVALID_COUPON_MODE",
                        400,
                        false,
                        "Invalid coupon issuing mode"),
                rule(
                        401,
                        "SIGN_ERROR",
                        null,
                        "UPSTREAM_AUTH_FAILED",
                        502,
                        false,
                        "WeChat Pay rejected the gateway's signature"),
                rule(502, Set.of(), null, "UPSTREAM_UNAVAILABLE", 503, true, "WeChat Pay is unavailable"),
                rule(503, Set.of(), null, "UPSTREAM_UNAVAILABLE", 503, true, "WeChat Pay is unavailable")));
    }

    private static MappingRule rule(
            int status, String code, @Nullable String message, String merchant, int http, boolean retry, String title) {
        return rule(status, Set.of(code), message, merchant, http, retry, title);
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

    public MerchantError map(PaymentFailure failure) {
        if (failure instanceof GatewayRejection rejection) {
            GatewayCode code = rejection.code();
            return new MerchantError(
                    code.status(),
                    code.name(),
                    code.retryable(),
                    code.title(),
                    rejection.detail(),
                    rejection.errors(),
                    null,
                    rejection.retryAfter());
        }
        return mapUpstream(((UpstreamFailure) failure).outcome());
    }

    private MerchantError mapUpstream(UpstreamOutcome outcome) {
        if (outcome instanceof UpstreamOutcome.Answered answered) {
            return mapAnswer(answered);
        }
        if (outcome instanceof UpstreamOutcome.SignatureInvalid invalid) {
            return new MerchantError(
                    502,
                    "UPSTREAM_SIGNATURE_INVALID",
                    true,
                    "WeChat Pay's answer could not be verified",
                    "The outcome is unknown; retry with the same use_request_no.",
                    List.of(),
                    new MerchantError.Upstream(invalid.status(), null, null, invalid.requestId()),
                    null);
        }
        if (outcome instanceof UpstreamOutcome.Unreachable) {
            return new MerchantError(
                    503,
                    "UPSTREAM_UNAVAILABLE",
                    true,
                    "WeChat Pay is unavailable",
                    "WeChat Pay could not be reached; retry with the same use_request_no.",
                    List.of(),
                    null,
                    DEFAULT_RETRY_AFTER);
        }
        return new MerchantError(
                504,
                "UPSTREAM_OUTCOME_UNKNOWN",
                true,
                "WeChat Pay did not answer in time",
                "The outcome is unknown; retry with the same use_request_no.",
                List.of(),
                null,
                null);
    }

    private MerchantError mapAnswer(UpstreamOutcome.Answered answered) {
        MerchantError.Upstream upstream = new MerchantError.Upstream(
                answered.status(), answered.code(), answered.message(), answered.requestId());
        for (MappingRule rule : rules) {
            if (rule.matches(answered.status(), answered.code(), answered.message())) {
                Duration retryAfter = retryAfter(rule.httpStatus(), answered.retryAfter());
                return new MerchantError(
                        rule.httpStatus(),
                        rule.merchantCode(),
                        rule.retryable(),
                        rule.title(),
                        rule.title() + ".",
                        List.of(),
                        upstream,
                        retryAfter);
            }
        }
        return byStatusClass(answered, upstream);
    }

    private static MerchantError byStatusClass(UpstreamOutcome.Answered answered, MerchantError.Upstream upstream) {
        if (answered.status() >= 500) {
            return new MerchantError(
                    503,
                    "UPSTREAM_UNAVAILABLE",
                    true,
                    "WeChat Pay is unavailable",
                    "WeChat Pay failed; retry with the same use_request_no.",
                    List.of(),
                    upstream,
                    DEFAULT_RETRY_AFTER);
        }
        return new MerchantError(
                400,
                "UPSTREAM_REJECTED",
                false,
                "WeChat Pay rejected the request",
                "WeChat Pay rejected the request; see upstream for its answer.",
                List.of(),
                upstream,
                null);
    }

    private static @Nullable Duration retryAfter(int httpStatus, @Nullable Duration upstream) {
        if (httpStatus != 429 && httpStatus != 503) {
            return null;
        }
        return upstream != null ? upstream : DEFAULT_RETRY_AFTER;
    }
}
