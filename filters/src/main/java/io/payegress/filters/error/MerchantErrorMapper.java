package io.payegress.filters.error;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps every failure, the gateway's own or WeChat's, to a {@link MerchantError}: upstream answers by the first
 * matching rule of the route's table, else by status class; transport failures and bad signatures by kind; the
 * gateway's own codes by their {@link GatewayCode}, renamed where the merchant configured it. Every 429 and 503
 * carries a Retry-After.
 */
public final class MerchantErrorMapper {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final String RETRY_SAME = "; retry with the same use_request_no.";

    private final List<MappingRule> rules;
    private final Map<GatewayCode, GatewayCodeOverride> gatewayCodes;

    public MerchantErrorMapper(List<MappingRule> rules) {
        this(rules, Map.of());
    }

    public MerchantErrorMapper(List<MappingRule> rules, Map<GatewayCode, GatewayCodeOverride> gatewayCodes) {
        this.rules = List.copyOf(rules);
        this.gatewayCodes = Map.copyOf(gatewayCodes);
    }

    /** The default table of SPEC section 5 for coupons/use, with the gateway's codes as they are. */
    public static MerchantErrorMapper couponsUseDefaults() {
        return new MerchantErrorMapper(DefaultErrorTable.couponsUse());
    }

    public MerchantError map(PaymentFailure failure) {
        if (failure instanceof GatewayRejection rejection) {
            return mapRejection(rejection);
        }
        return mapUpstream(((UpstreamFailure) failure).outcome());
    }

    private MerchantError mapRejection(GatewayRejection rejection) {
        GatewayCode code = rejection.code();
        GatewayCodeOverride override = gatewayCodes.get(code);
        String merchantCode = override == null ? code.name() : override.merchantCode();
        int status = override == null ? code.status() : override.status();
        return new MerchantError(
                status,
                merchantCode,
                code.retryable(),
                code.title(),
                rejection.detail(),
                rejection.errors(),
                null,
                retryAfter(status, rejection.retryAfter()));
    }

    private MerchantError mapUpstream(UpstreamOutcome outcome) {
        if (outcome instanceof UpstreamOutcome.Answered answered) {
            return mapAnswer(answered);
        }
        if (outcome instanceof UpstreamOutcome.SignatureInvalid invalid) {
            return transport(
                    502,
                    "UPSTREAM_SIGNATURE_INVALID",
                    "WeChat Pay's answer could not be verified",
                    "The outcome is unknown" + RETRY_SAME,
                    new MerchantError.Upstream(invalid.status(), null, null, invalid.requestId()));
        }
        if (outcome instanceof UpstreamOutcome.Unresolved unresolved) {
            UpstreamOutcome.Answered answered = unresolved.answered();
            return transport(
                    504,
                    "UPSTREAM_OUTCOME_UNKNOWN",
                    "WeChat Pay did not answer in time",
                    "WeChat Pay's answer could not be checked against the coupon's state; the outcome is unknown"
                            + RETRY_SAME,
                    new MerchantError.Upstream(
                            answered.status(), answered.code(), answered.message(), answered.requestId()));
        }
        if (outcome instanceof UpstreamOutcome.Unreachable) {
            return transport(
                    503,
                    "UPSTREAM_UNAVAILABLE",
                    "WeChat Pay is unavailable",
                    "WeChat Pay could not be reached" + RETRY_SAME,
                    null);
        }
        return transport(
                504,
                "UPSTREAM_OUTCOME_UNKNOWN",
                "WeChat Pay did not answer in time",
                "The outcome is unknown" + RETRY_SAME,
                null);
    }

    private static MerchantError transport(
            int status, String code, String title, String detail, MerchantError.@Nullable Upstream upstream) {
        return new MerchantError(status, code, true, title, detail, List.of(), upstream, retryAfter(status, null));
    }

    private MerchantError mapAnswer(UpstreamOutcome.Answered answered) {
        MerchantError.Upstream upstream = new MerchantError.Upstream(
                answered.status(), answered.code(), answered.message(), answered.requestId());
        for (MappingRule rule : rules) {
            if (rule.matches(answered.status(), answered.code(), answered.message())) {
                String detail = rule.title() + (rule.retryable() ? RETRY_SAME : ".");
                return new MerchantError(
                        rule.httpStatus(),
                        rule.merchantCode(),
                        rule.retryable(),
                        rule.title(),
                        detail,
                        List.of(),
                        upstream,
                        retryAfter(rule.httpStatus(), answered.retryAfter()));
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
                    "WeChat Pay failed" + RETRY_SAME,
                    List.of(),
                    upstream,
                    retryAfter(503, answered.retryAfter()));
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

    private static @Nullable Duration retryAfter(int httpStatus, @Nullable Duration given) {
        if (httpStatus != 429 && httpStatus != 503) {
            return null;
        }
        return given != null ? given : DEFAULT_RETRY_AFTER;
    }
}
