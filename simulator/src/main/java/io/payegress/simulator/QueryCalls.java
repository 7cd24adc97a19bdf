package io.payegress.simulator;

import io.payegress.simulator.coupon.CouponOutcome;
import io.payegress.simulator.coupon.CouponService;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultPlan;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.stats.StatsRecorder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the coupon query, {@code GET /v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}},
 * once its signature passed: faults armed for {@link WeChatPaySimulator#QUERY_PATH} (or for every path) first, then
 * the coupon's state. No rate limit: WeChat limits its query APIs apart from coupons/use.
 */
final class QueryCalls {

    private static final Pattern QUERY =
            Pattern.compile("/v3/marketing/busifavor/users/([^/]+)/coupons/([^/]+)/appids/([^/]+)");

    private final CouponService coupons;
    private final FaultPlan faults;
    private final StatsRecorder stats;
    private final JsonMapper mapper;

    QueryCalls(CouponService coupons, FaultPlan faults, StatsRecorder stats, JsonMapper mapper) {
        this.coupons = coupons;
        this.faults = faults;
        this.stats = stats;
        this.mapper = mapper;
    }

    /** The path's openid, coupon code and appid segments when the call is a coupon query. */
    static Optional<Matcher> match(String method, String path) {
        Matcher query = QUERY.matcher(path);
        return "GET".equals(method) && query.matches() ? Optional.of(query) : Optional.empty();
    }

    Reply answer(String mchid, Matcher path) {
        FaultPlan.Selection faulted = faults.take(WeChatPaySimulator.QUERY_PATH);
        FaultSpec fault = faulted.answer();
        if (faulted.latencyMs() > 0) {
            stats.fault();
        }
        if (fault != null) {
            stats.fault();
        }
        Reply reply;
        if (fault == null || fault.phase() == FaultPhase.AFTER) {
            CouponOutcome outcome =
                    coupons.query(mchid, decode(path.group(1)), decode(path.group(2)), decode(path.group(3)));
            reply = fault == null ? Reply.signedJson(outcome.status(), outcome.body()) : faulty(fault, outcome.body());
        } else {
            reply = faulty(fault, new byte[0]);
        }
        return reply.delayed(faulted.latencyMs());
    }

    private Reply faulty(FaultSpec fault, byte[] body) {
        return fault.type().forgesSuccess()
                ? FaultReplies.forgedSuccess(fault.type(), body)
                : FaultReplies.failure(fault.type(), mapper);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
