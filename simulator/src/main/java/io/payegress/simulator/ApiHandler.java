package io.payegress.simulator;

import io.netty.handler.codec.http.HttpHeaders;
import io.payegress.simulator.coupon.ApiError;
import io.payegress.simulator.coupon.CouponOutcome;
import io.payegress.simulator.coupon.CouponService;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultPlan;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.limit.SlidingWindowLimiter;
import io.payegress.simulator.signing.RequestVerifier;
import io.payegress.simulator.signing.SignatureCheck;
import io.payegress.simulator.stats.StatsRecorder;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides the answer to one WeChat API call in WeChat's order: Accept and User-Agent, the Authorization signature and
 * clock window, the rate limit (coupons/use and coupons/return; the coupon query has a limit of its own at WeChat and
 * none here), then faults (BEFORE or AFTER the coupon rules) and the coupon rules themselves.
 */
final class ApiHandler {

    static final String USE_PATH = WeChatPaySimulator.USE_PATH;
    static final String RETURN_PATH = "/v3/marketing/busifavor/coupons/return";

    /** At DEBUG, one line per call reaching the rate limit: {@code System.nanoTime()} and the request's nonce. */
    private static final Logger arrivals = LoggerFactory.getLogger("simulator.arrivals");

    private static final Pattern NONCE = Pattern.compile("nonce_str=\"([^\"]+)\"");

    private final RequestVerifier verifier;
    private final @Nullable String unsignedMerchant;
    private final SlidingWindowLimiter limiter;
    private final CouponService coupons;
    private final FaultPlan faults;
    private final StatsRecorder stats;
    private final JsonMapper mapper;
    private final QueryCalls queries;

    ApiHandler(
            RequestVerifier verifier,
            @Nullable String unsignedMerchant,
            SlidingWindowLimiter limiter,
            CouponService coupons,
            FaultPlan faults,
            StatsRecorder stats,
            JsonMapper mapper) {
        this.verifier = verifier;
        this.unsignedMerchant = unsignedMerchant;
        this.limiter = limiter;
        this.coupons = coupons;
        this.faults = faults;
        this.stats = stats;
        this.mapper = mapper;
        this.queries = new QueryCalls(coupons, faults, stats, mapper);
    }

    /** The nonce of a WeChat Pay Authorization header, or "-": joins an arrival to its departure in the benchmark. */
    static String nonce(@Nullable String authorization) {
        Matcher nonce = authorization == null ? null : NONCE.matcher(authorization);
        return nonce != null && nonce.find() ? nonce.group(1) : "-";
    }

    /** Whether the call is a coupon query (counted apart from the calls that change coupons). */
    static boolean isQuery(String method, String uri) {
        return QueryCalls.match(method, pathOf(uri)).isPresent();
    }

    Reply handle(String method, String uri, HttpHeaders headers, byte[] body) {
        String path = pathOf(uri);
        Optional<Matcher> query = QueryCalls.match(method, path);
        if (query.isEmpty() && (!"POST".equals(method) || !(USE_PATH.equals(path) || RETURN_PATH.equals(path)))) {
            return error(ApiError.of(404, "NOT_FOUND", "请求的资源不存在"));
        }
        if (blank(headers.get("Accept")) || blank(headers.get("User-Agent"))) {
            return error(ApiError.of(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent"));
        }
        SignatureCheck check = check(method, uri, headers.get("Authorization"), body);
        stats.signature(check.verified());
        if (!check.verified()) {
            return new Reply(401, Reply.JSON, SignErrors.body(check, mapper), Reply.Signing.UNSIGNED, 0);
        }
        if (query.isPresent()) {
            return queries.answer(String.valueOf(check.mchid()), query.get());
        }
        boolean passed = limiter.tryAcquire();
        if (arrivals.isDebugEnabled()) {
            arrivals.debug("arrival {} {}", System.nanoTime(), nonce(headers.get("Authorization")));
        }
        stats.limit(passed);
        if (!passed) {
            return error(ApiError.of(429, "FREQUENCY_LIMITED", "请求过于频繁，请降低调用频率"));
        }
        FaultPlan.Selection faulted = faults.take(path);
        if (faulted.latencyMs() > 0) {
            stats.fault();
        }
        return answer(path, String.valueOf(check.mchid()), body, faulted.answer())
                .delayed(faulted.latencyMs());
    }

    /** The signature check, or, with the benchmark's unsigned switch, a call without a WeChat Pay signature taken as is. */
    private SignatureCheck check(String method, String uri, @Nullable String authorization, byte[] body) {
        boolean signed = authorization != null && authorization.startsWith("WECHATPAY2-");
        if (unsignedMerchant != null && !signed) {
            return SignatureCheck.verified(unsignedMerchant);
        }
        return verifier.check(method, uri, authorization, body);
    }

    private Reply answer(String path, String mchid, byte[] body, @Nullable FaultSpec fault) {
        if (fault == null) {
            return fromOutcome(apply(path, mchid, body));
        }
        stats.fault();
        @Nullable CouponOutcome outcome = fault.phase() == FaultPhase.AFTER ? apply(path, mchid, body) : null;
        if (fault.type().forgesSuccess()) {
            byte[] success = outcome != null && outcome.success() ? outcome.body() : coupons.syntheticSuccess(body);
            return FaultReplies.forgedSuccess(fault.type(), success);
        }
        return FaultReplies.failure(fault.type(), mapper);
    }

    private CouponOutcome apply(String path, String mchid, byte[] body) {
        boolean use = USE_PATH.equals(path);
        CouponOutcome outcome = use ? coupons.use(mchid, body) : coupons.giveBack(mchid, body);
        if (outcome.applied()) {
            if (use) {
                stats.redemption();
            } else {
                stats.returned();
            }
        }
        if (outcome.duplicate() && use) {
            stats.duplicate();
        }
        return outcome;
    }

    private static Reply fromOutcome(CouponOutcome outcome) {
        return Reply.signedJson(outcome.status(), outcome.body());
    }

    private Reply error(ApiError error) {
        return Reply.signedJson(error.status(), error.toJson(mapper));
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
