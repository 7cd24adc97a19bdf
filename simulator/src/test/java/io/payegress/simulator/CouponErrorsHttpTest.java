package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.signing.KeyMaterial;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the busifavor error table, each in the situation that causes it, over real HTTP. */
class CouponErrorsHttpTest {

    private static SimulatorFixture fx;

    @BeforeAll
    static void start() {
        fx = new SimulatorFixture();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.reset();
    }

    static Stream<Arguments> errorRows() {
        return Stream.of(
                row("malformed JSON", "{\"coupon_code\":", 400, "PARAM_ERROR", null, ""),
                row("body not an object", "[1,2]", 400, "PARAM_ERROR", null, ""),
                row(
                        "missing coupon_code",
                        use(null, "100088", "wx1234567889999", T, "r1", null),
                        400,
                        "PARAM_ERROR",
                        null,
                        "/coupon_code"),
                row(
                        "missing appid",
                        use("demo-0001", "100088", null, T, "r1", null),
                        400,
                        "PARAM_ERROR",
                        null,
                        "/appid"),
                row(
                        "missing use_request_no",
                        use("demo-0001", "100088", "wx1234567889999", T, null, null),
                        400,
                        "PARAM_ERROR",
                        null,
                        "/use_request_no"),
                row(
                        "use_time not RFC 3339",
                        use("demo-0001", "100088", "wx1234567889999", "2015-05-20 13:29:35", "r1", null),
                        400,
                        "PARAM_ERROR",
                        null,
                        "/use_time"),
                row(
                        "coupon_code not a string",
                        "{\"coupon_code\":12,\"stock_id\":\"100088\",\"appid\":" + "\"wx1234567889999\",\"use_time\":\""
                                + T + "\",\"use_request_no\":\"r1\"}",
                        400,
                        "PARAM_ERROR",
                        null,
                        "/coupon_code"),
                row(
                        "null openid",
                        "{\"coupon_code\":\"demo-0001\",\"stock_id\":\"100088\",\"appid\":"
                                + "\"wx1234567889999\",\"use_time\":\"" + T + "\",\"use_request_no\":\"r1\","
                                + "\"openid\":null}",
                        400,
                        "PARAM_ERROR",
                        null,
                        "/openid"),
                row(
                        "stock_id missing for a MERCHANT_API stock",
                        use("demo-0001", null, "wx1234567889999", T, "r1", null),
                        400,
                        "PARAM_ERROR",
                        null,
                        "/stock_id"),
                row(
                        "coupon used by another order",
                        use("used-0001", "100088", "wx1234567889999", T, "r1", null),
                        400,
                        "RESOURCE_ALREADY_EXISTS",
                        "券已被其他订单核销",
                        null),
                row(
                        "unknown coupon",
                        use("nope-0001", "100088", "wx1234567889999", T, "r1", null),
                        404,
                        "RESOURCE_NOT_EXISTS",
                        null,
                        null),
                row(
                        "unknown stock",
                        use("demo-0001", "999999", "wx1234567889999", T, "r1", null),
                        404,
                        "RESOURCE_NOT_EXISTS",
                        null,
                        null),
                row(
                        "coupon of another stock",
                        use("wxmode-0001", "100088", "wx1234567889999", T, "r1", null),
                        404,
                        "RESOURCE_NOT_EXISTS",
                        null,
                        null),
                row(
                        "stock of another merchant",
                        use("other-merchant-0001", "100089", "wx1234567889999", T, "r1", null),
                        403,
                        "NO_AUTH",
                        "商户无权限操作该券",
                        null),
                row(
                        "appid not bound to the caller",
                        use("demo-0001", "100088", "wx0000000000000", T, "r1", null),
                        400,
                        "APPID_MCHID_NOT_MATCH",
                        null,
                        null),
                row(
                        "openid of another user",
                        use("demo-0001", "100088", "wx1234567889999", T, "r1", "someone-else"),
                        404,
                        "USER_NOT_EXISTS",
                        null,
                        null),
                row(
                        "use_time after the validity window",
                        use("demo-0001", "100088", "wx1234567889999", "2036-01-01T00:00:00+08:00", "r1", null),
                        403,
                        "RULELIMIT",
                        null,
                        null),
                row(
                        "stock expired before use_time",
                        use("expired-0001", "100091", "wx1234567889999", T, "r1", null),
                        403,
                        "RULELIMIT",
                        null,
                        null),
                row(
                        "stock with an invalid issuing mode",
                        use("badmode-0001", "100092", "wx1234567889999", T, "r1", null),
                        400,
                        "INVALID_REQUEST",
                        "发券模式不合法",
                        null),
                row(
                        "stock whose code upload limit is reached",
                        use("uploadfull-0001", "100093", "wx1234567889999", T, "r1", null),
                        400,
                        "INVALID_REQUEST",
                        "自定义code上传数量已达上限",
                        null));
    }

    private static final String T = "2015-05-20T13:29:35+08:00";

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorRows")
    void answersTheErrorOfTheSituation(
            String situation, String body, int status, String code, String message, String field) {
        SimClient.Response response = fx.client.post(SimClient.USE, body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
        if (message != null) {
            assertThat(response.json().path("message").asString()).isEqualTo(message);
        }
        if (field != null) {
            assertThat(response.json().at("/detail/field").asString()).isEqualTo(field);
            assertThat(response.json().at("/detail/location").asString()).isEqualTo("body");
        }
        assertThat(fx.verifies(response)).isTrue();
        assertThat(fx.sim.stats().redemptions()).isZero();
    }

    @Test
    void merchantWithAKeyButNotRegisteredAnswersMchNotExists() {
        KeyMaterial stranger = KeyMaterial.generate();
        fx.sim.addMerchantKey("1900000009", stranger.serial(), stranger.publicKey());
        SimClient client = new SimClient(
                fx.sim.baseUrl(),
                new TestSigner("1900000009", stranger.serial(), stranger.privateKey()),
                Clock.systemUTC());

        SimClient.Response response = client.post(SimClient.USE, SimulatorFixture.useBody("demo-0001", "r1"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("MCH_NOT_EXISTS");
    }

    @Test
    void wechatpayModeStockRedeemsWithoutStockId() {
        SimClient.Response response = fx.client.post(
                SimClient.USE, use("wxmode-0001", null, "wx1234567889999", T, "r-wx", "xsd3434454567676"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("stock_id").asString()).isEqualTo("100090");
    }

    @Test
    void returnPutsAUsedCouponBackIdempotentlySoItCanBeRedeemedAgain() {
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        String returnBody =
                "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\",\"return_request_no\":\"ret-1\"}";

        SimClient.Response first = fx.client.post(SimClient.RETURN, returnBody);
        SimClient.Response again = fx.client.post(SimClient.RETURN, returnBody);
        SimClient.Response redeemAgain =
                fx.client.post(SimClient.USE, SimulatorFixture.useBody(CouponSeed.DEMO_COUPON, "r2"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("wechatpay_return_time").asString()).isNotEmpty();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(redeemAgain.status()).isEqualTo(200);
        assertThat(fx.sim.stats().returns()).isEqualTo(1);
        assertThat(fx.sim.stats().redemptions()).isEqualTo(2);
    }

    @Test
    void returnOfAnUnusedCouponIsRefused() {
        String body = "{\"coupon_code\":\"demo-0005\",\"stock_id\":\"100088\",\"return_request_no\":\"ret-9\"}";

        assertThat(fx.client.post(SimClient.RETURN, body).status()).isEqualTo(400);
    }

    private static Arguments row(String situation, String body, int status, String code, String message, String field) {
        return Arguments.of(situation, body, status, code, message, field);
    }

    private static String use(
            String code, String stockId, String appid, String useTime, String useRequestNo, String openid) {
        StringBuilder json = new StringBuilder("{");
        append(json, "coupon_code", code);
        append(json, "stock_id", stockId);
        append(json, "appid", appid);
        append(json, "use_time", useTime);
        append(json, "use_request_no", useRequestNo);
        append(json, "openid", openid);
        return json.append('}').toString();
    }

    private static void append(StringBuilder json, String name, String value) {
        if (value != null) {
            json.append(json.length() > 1 ? "," : "")
                    .append('"')
                    .append(name)
                    .append("\":\"")
                    .append(value)
                    .append('"');
        }
    }
}
