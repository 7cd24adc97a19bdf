package io.payegress.gateway.errors;

import static io.payegress.gateway.errors.ErrorScenario.redeem;

import io.payegress.gateway.errors.ErrorScenario.Request;
import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every row of SPEC section 5's coupons/use table, and the gateway-own codes of the transport and routing, as a
 * scenario the simulator produces. VALIDATION_FAILED and FORBIDDEN are produced end to end by the validation fuzz
 * test, IDEMPOTENCY_KEY_REUSED and REQUEST_IN_PROGRESS by the idempotency suites, RATE_LIMITED by the budget tests;
 * MerchantErrorMapperTest covers their rendering.
 */
final class ErrorScenarios {

    /** Longer than the tests' per-attempt response timeout: every attempt times out. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(700);

    private static final Consumer<SimulatedWeChat> NOTHING = sim -> {};

    private ErrorScenarios() {}

    static List<ErrorScenario> upstreamTable() {
        return List.of(
                wechat(
                        "400 PARAM_ERROR",
                        NOTHING,
                        redeem("demo-0001", null, CouponSeed.DEMO_APPID, null),
                        "400 UPSTREAM_PARAM_ERROR final <- 400 PARAM_ERROR"),
                wechat(
                        "400 SYSTEM_ERROR",
                        fault(FaultType.SYSTEM_ERROR_400),
                        redeem("demo-0002"),
                        "503 UPSTREAM_UNAVAILABLE retryable Retry-After:1 <- 400 SYSTEM_ERROR"),
                wechat(
                        "500 SYSTEM_ERROR",
                        fault(FaultType.SYSTEM_ERROR_500),
                        redeem("demo-0003"),
                        "503 UPSTREAM_UNAVAILABLE retryable Retry-After:1 <- 500 SYSTEM_ERROR"),
                wechat(
                        "502 HTML page",
                        fault(FaultType.HTML_502),
                        redeem("demo-0004"),
                        "503 UPSTREAM_UNAVAILABLE retryable Retry-After:1 <- 502"),
                wechat(
                        "503 empty body",
                        fault(FaultType.EMPTY_503),
                        redeem("demo-0005"),
                        "503 UPSTREAM_UNAVAILABLE retryable Retry-After:1 <- 503"),
                wechat(
                        "400 RESOURCE_ALREADY_EXISTS",
                        NOTHING,
                        redeem("used-0001"),
                        "409 COUPON_ALREADY_USED final <- 400 RESOURCE_ALREADY_EXISTS"),
                wechat(
                        "404 RESOURCE_NOT_EXISTS",
                        NOTHING,
                        redeem("no-such-coupon"),
                        "404 COUPON_NOT_FOUND final <- 404 RESOURCE_NOT_EXISTS"),
                wechat(
                        "403 NO_AUTH",
                        NOTHING,
                        redeem("other-merchant-0001", "100089", CouponSeed.DEMO_OTHER_APPID, CouponSeed.DEMO_OPENID),
                        "403 MERCHANT_NOT_AUTHORIZED final <- 403 NO_AUTH"),
                wechat(
                        "400 APPID_MCHID_NOT_MATCH",
                        NOTHING,
                        redeem("demo-0006", CouponSeed.DEMO_STOCK, CouponSeed.DEMO_OTHER_APPID, CouponSeed.DEMO_OPENID),
                        "400 APPID_NOT_BOUND final <- 400 APPID_MCHID_NOT_MATCH"),
                wechat(
                        "400 MCH_NOT_EXISTS",
                        SimulatedWeChat::resetWithoutMerchant,
                        redeem("demo-0007"),
                        "400 MERCHANT_NOT_FOUND final <- 400 MCH_NOT_EXISTS"),
                wechat(
                        "404 USER_NOT_EXISTS",
                        NOTHING,
                        redeem("demo-0008", CouponSeed.DEMO_STOCK, CouponSeed.DEMO_APPID, "someone-else"),
                        "404 USER_NOT_FOUND final <- 404 USER_NOT_EXISTS"),
                wechat(
                        "429 FREQUENCY_LIMITED",
                        sim -> sim.simulator().setLimitPerSecond(0),
                        redeem("demo-0009"),
                        "429 UPSTREAM_RATE_LIMITED retryable Retry-After:1 <- 429 FREQUENCY_LIMITED"),
                wechat(
                        "403 RULELIMIT",
                        NOTHING,
                        redeem("expired-0001", "100091", CouponSeed.DEMO_APPID, CouponSeed.DEMO_OPENID),
                        "422 COUPON_NOT_IN_VALID_PERIOD final <- 403 RULELIMIT"),
                wechat(
                        "400 INVALID_REQUEST issuing mode",
                        NOTHING,
                        redeem("badmode-0001", "100092", CouponSeed.DEMO_APPID, CouponSeed.DEMO_OPENID),
                        "400 INVALID_COUPON_MODE final <- 400 INVALID_REQUEST"),
                wechat(
                        "400 INVALID_REQUEST upload limit",
                        NOTHING,
                        redeem("uploadfull-0001", "100093", CouponSeed.DEMO_APPID, CouponSeed.DEMO_OPENID),
                        "400 CODE_UPLOAD_LIMIT_REACHED final <- 400 INVALID_REQUEST"),
                wechat(
                        "401 SIGN_ERROR",
                        sim -> sim.skewClock(Duration.ofMinutes(10)),
                        redeem("demo-0010"),
                        "502 UPSTREAM_AUTH_FAILED final <- 401 SIGN_ERROR"),
                wechat("timeout", latency(), redeem("demo-0011"), "504 UPSTREAM_OUTCOME_UNKNOWN retryable"),
                wechat(
                        "reset after sending",
                        fault(FaultType.CONNECTION_RESET),
                        redeem("demo-0012"),
                        "504 UPSTREAM_OUTCOME_UNKNOWN retryable"),
                wechat(
                        "2xx with a bad signature",
                        fault(FaultType.BAD_SIGNATURE_2XX),
                        redeem("demo-0013"),
                        "502 UPSTREAM_SIGNATURE_INVALID retryable <- 200"));
    }

    static List<ErrorScenario> gatewayCodes() {
        return List.of(
                gateway(
                        "unknown API key",
                        new Request(
                                ErrorScenario.USE_PATH,
                                "not-a-key",
                                "application/json",
                                ErrorScenario.body(
                                        "demo-0020", CouponSeed.DEMO_STOCK, CouponSeed.DEMO_APPID, null, "r-20")),
                        "401 UNAUTHENTICATED final"),
                gateway(
                        "not JSON",
                        new Request(ErrorScenario.USE_PATH, ErrorScenario.API_KEY, "text/plain", "x=1"),
                        "415 UNSUPPORTED_MEDIA_TYPE final"),
                gateway(
                        "body over 16KB",
                        new Request(
                                ErrorScenario.USE_PATH,
                                ErrorScenario.API_KEY,
                                "application/json",
                                "{\"pad\":\"" + "x".repeat(17 * 1024) + "\"}"),
                        "413 PAYLOAD_TOO_LARGE final"),
                gateway(
                        "no API at the path",
                        new Request("/v3/pay/transactions/jsapi", ErrorScenario.API_KEY, "application/json", "{}"),
                        "404 NOT_FOUND final"));
    }

    /** The faults of the done-when list: HTML 502, empty 503, reset and timeout, with their documented codes. */
    static List<ErrorScenario> transportFaults() {
        return upstreamTable().stream()
                .filter(s -> List.of("502 HTML page", "503 empty body", "reset after sending", "timeout")
                        .contains(s.name()))
                .toList();
    }

    static ErrorScenario named(String name) {
        return upstreamTable().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Consumer<SimulatedWeChat> fault(FaultType type) {
        return sim -> sim.simulator().faults().add(FaultSpec.untilCleared(type, FaultPhase.BEFORE));
    }

    private static Consumer<SimulatedWeChat> latency() {
        long millis = RESPONSE_TIMEOUT.toMillis() * 3;
        return sim -> sim.simulator().faults().add(FaultSpec.latency(millis, FaultSpec.UNTIL_CLEARED));
    }

    private static ErrorScenario wechat(
            String name, Consumer<SimulatedWeChat> arrange, Request request, String expected) {
        return ErrorScenario.of(name, arrange, request, expected);
    }

    private static ErrorScenario gateway(String name, Request request, String expected) {
        return ErrorScenario.of(name, NOTHING, request, expected);
    }
}
