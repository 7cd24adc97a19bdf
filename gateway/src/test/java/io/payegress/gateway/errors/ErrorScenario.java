package io.payegress.gateway.errors;

import io.payegress.simulator.coupon.CouponSeed;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One way a redemption fails, end to end: how the simulator is set up, what the POS sends, and what it must get
 * back (status, merchant code, retry rule, Retry-After, and WeChat's status and code when WeChat answered).
 */
record ErrorScenario(
        String name,
        Consumer<SimulatedWeChat> arrange,
        Request request,
        int status,
        String code,
        boolean retryable,
        @Nullable String retryAfter,
        @Nullable Integer upstreamStatus,
        @Nullable String upstreamCode) {

    /** What the POS sends. */
    record Request(String path, String apiKey, String contentType, String body) {

        private static final java.util.concurrent.atomic.AtomicLong SENT = new java.util.concurrent.atomic.AtomicLong();

        /** The same request under a use_request_no never sent before, so the dedupe stage does not replay it. */
        Request withFreshUseRequestNo() {
            String fresh =
                    "\"use_request_no\":\"e" + System.nanoTime() % 1_000_000_000L + "-" + SENT.incrementAndGet() + "\"";
            return new Request(path, apiKey, contentType, body.replaceFirst("\"use_request_no\":\"[^\"]*\"", fresh));
        }
    }

    /** The key of tenant error-lab (application-local.yml), granted every demo stock and appid of the simulator. */
    static final String API_KEY = "error-lab-key";

    static final String USE_PATH = "/v3/marketing/busifavor/coupons/use";

    /** A coupons/use body; a null stock id or openid leaves the field out. */
    static String body(String coupon, @Nullable String stockId, String appid, @Nullable String openid, String no) {
        StringBuilder body = new StringBuilder("{\"coupon_code\":\"" + coupon + "\"");
        if (stockId != null) {
            body.append(",\"stock_id\":\"").append(stockId).append('"');
        }
        body.append(",\"appid\":\"").append(appid).append('"');
        body.append(",\"use_time\":\"2015-05-20T13:29:35+08:00\"");
        body.append(",\"use_request_no\":\"").append(no).append('"');
        if (openid != null) {
            body.append(",\"openid\":\"").append(openid).append('"');
        }
        return body.append('}').toString();
    }

    /**
     * A scenario whose expectation reads like a row of the SPEC table: {@code "<status> <code> retryable|final
     * [Retry-After:<s>] [<- <upstream status> [<upstream code>]]"}, e.g. {@code "503 UPSTREAM_UNAVAILABLE retryable
     * Retry-After:1 <- 400 SYSTEM_ERROR"}.
     */
    static ErrorScenario of(String name, Consumer<SimulatedWeChat> arrange, Request request, String expected) {
        String[] sides = expected.split(" <- ");
        String[] answer = sides[0].split(" ");
        String retryAfter = answer.length > 3 ? answer[3].substring("Retry-After:".length()) : null;
        String[] upstream = sides.length > 1 ? sides[1].split(" ") : new String[0];
        return new ErrorScenario(
                name,
                arrange,
                request,
                Integer.parseInt(answer[0]),
                answer[1],
                answer[2].equals("retryable"),
                retryAfter,
                upstream.length > 0 ? Integer.valueOf(upstream[0]) : null,
                upstream.length > 1 ? upstream[1] : null);
    }

    static Request redeem(String coupon, @Nullable String stockId, String appid, @Nullable String openid) {
        return new Request(
                USE_PATH, API_KEY, "application/json", body(coupon, stockId, appid, openid, "req-" + coupon));
    }

    static Request redeem(String coupon) {
        return redeem(coupon, CouponSeed.DEMO_STOCK, CouponSeed.DEMO_APPID, CouponSeed.DEMO_OPENID);
    }

    @Override
    public String toString() {
        return name;
    }
}
