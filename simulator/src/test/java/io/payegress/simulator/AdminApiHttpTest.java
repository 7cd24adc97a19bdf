package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.simulator.signing.KeyMaterial;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Round trips through the /__sim/ admin API over real HTTP. */
class AdminApiHttpTest {

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

    @Test
    void statsReportCallsRedemptionsAndStatuses() {
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        JsonNode stats = fx.client.admin("GET", "/__sim/stats", "").json();

        assertThat(stats.path("total_calls").asLong()).isEqualTo(2);
        assertThat(stats.path("accepted").asLong()).isEqualTo(2);
        assertThat(stats.path("redemptions").asLong()).isEqualTo(1);
        assertThat(stats.path("duplicate_use_request_no").asLong()).isEqualTo(1);
        assertThat(stats.path("verified_signatures").asLong()).isEqualTo(2);
        assertThat(stats.path("max_in_any_sliding_second").asInt()).isEqualTo(2);
        assertThat(stats.path("status_counts").path("200").asLong()).isEqualTo(2);
        assertThat(stats.path("limit_per_second").asInt()).isEqualTo(500);
    }

    @Test
    void acceptedCountsTheCallsTheLimitAcceptedBetweenTwoInstants() {
        long before = fx.ticker.get();
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        long middle = fx.ticker.addAndGet(2_000_000_000L);
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        long after = fx.ticker.addAndGet(20_000_000L);

        assertThat(accepted(before, after)).isEqualTo(2);
        assertThat(accepted(before, middle)).isEqualTo(1);
        assertThat(accepted(middle, after)).isEqualTo(1);
        assertThat(accepted(after, after + 1_000_000_000L)).isZero();
        assertThat(fx.client
                        .admin("GET", "/__sim/accepted?from=" + after + "&to=" + before, "")
                        .status())
                .isEqualTo(400);
        assertThat(fx.client.admin("GET", "/__sim/accepted?from=" + before, "").status())
                .isEqualTo(400);
    }

    private static long accepted(long from, long to) {
        return fx.client
                .admin("GET", "/__sim/accepted?from=" + from + "&to=" + to, "")
                .json()
                .path("accepted")
                .asLong();
    }

    @Test
    void resetRestoresTheSeedAndZeroesStats() {
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(fx.client.admin("POST", "/__sim/reset", "").status()).isEqualTo(200);

        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
        assertThat(fx.sim.stats().totalCalls()).isEqualTo(1);
        assertThat(fx.sim.stats().redemptions()).isEqualTo(1);
    }

    @Test
    void faultsAreArmedListedAndCleared() {
        String spec = "{\"type\":\"SYSTEM_ERROR_500\",\"phase\":\"AFTER\",\"count\":2}";
        JsonNode armed = fx.client.admin("POST", "/__sim/faults", spec).json();

        assertThat(armed.get(0).path("type").asString()).isEqualTo("SYSTEM_ERROR_500");
        assertThat(armed.get(0).path("count").asInt()).isEqualTo(2);
        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(500);
        assertThat(fx.client
                        .admin("GET", "/__sim/faults", "")
                        .json()
                        .get(0)
                        .path("count")
                        .asInt())
                .isEqualTo(1);

        fx.client.admin("DELETE", "/__sim/faults", "");

        assertThat(fx.client.admin("GET", "/__sim/faults", "").json().size()).isZero();
        assertThat(fx.client
                        .admin("GET", "/__sim/coupons/sxxe34343434", "")
                        .json()
                        .path("state")
                        .asString())
                .isEqualTo("USED");
    }

    @Test
    void untilClearedLatencyFaultIsAccepted() {
        String spec = "{\"type\":\"latency\",\"latency_ms\":5,\"until_cleared\":true}";

        JsonNode armed = fx.client.admin("POST", "/__sim/faults", spec).json();

        assertThat(armed.get(0).path("count").asInt()).isEqualTo(-1);
        assertThat(armed.get(0).path("latency_ms").asLong()).isEqualTo(5);
    }

    @Test
    void seededStockCouponBindingAndMerchantRedeemForANewMerchant() {
        KeyMaterial key = KeyMaterial.generate();
        String pem = key.publicKeyPem().replace("\n", "\\n");
        fx.client.admin(
                "POST",
                "/__sim/merchants",
                "{\"mchid\":\"1900000077\",\"serial_no\":\"" + key.serial() + "\",\"public_key_pem\":\"" + pem + "\"}");
        fx.client.admin(
                "POST",
                "/__sim/stocks",
                "{\"stock_id\":\"200001\",\"owner_mchid\":\"1900000077\"," + "\"code_mode\":\"MERCHANT_UPLOAD\"}");
        fx.client.admin(
                "POST",
                "/__sim/coupons",
                "{\"coupon_code\":\"new-1\",\"stock_id\":\"200001\","
                        + "\"appid\":\"wx7777777777777\",\"openid\":\"o-77\"}");
        fx.client.admin("POST", "/__sim/bindings", "{\"appid\":\"wx7777777777777\",\"mchid\":\"1900000077\"}");
        SimClient client = new SimClient(
                fx.sim.baseUrl(), new TestSigner("1900000077", key.serial(), key.privateKey()), Clock.systemUTC());

        SimClient.Response response = client.post(
                SimClient.USE,
                "{\"coupon_code\":\"new-1\",\"stock_id\":"
                        + "\"200001\",\"appid\":\"wx7777777777777\",\"use_time\":\"2020-01-01T00:00:00+08:00\","
                        + "\"use_request_no\":\"n1\",\"openid\":\"o-77\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("openid").asString()).isEqualTo("o-77");
    }

    @Test
    void limitIsSetAtRuntime() {
        assertThat(fx.client
                        .admin("PUT", "/__sim/limit", "{\"per_second\":400}")
                        .status())
                .isEqualTo(200);

        assertThat(fx.sim.stats().limitPerSecond()).isEqualTo(400);
        assertThat(fx.client.admin("PUT", "/__sim/limit", "{\"per_second\":-3}").status())
                .isEqualTo(400);
    }

    @Test
    void recordedRequestsAreListedNewestLast() {
        fx.client.post(SimClient.USE, SimulatorFixture.useBody("demo-0001", "a"));
        fx.client.post(SimClient.USE, SimulatorFixture.useBody("demo-0002", "b"));

        JsonNode requests =
                fx.client.admin("GET", "/__sim/requests?limit=1", "").json();

        assertThat(requests.size()).isEqualTo(1);
        assertThat(requests.get(0).path("body").asString()).contains("demo-0002");
        assertThat(requests.get(0).path("path").asString()).isEqualTo(SimClient.USE);
        assertThat(requests.get(0).path("headers").toString()).contains("WECHATPAY2-SHA256-RSA2048");
    }

    @Test
    void badAdminInputAnswers400AndUnknownRoutes404() {
        assertThat(fx.client.admin("POST", "/__sim/stocks", "{\"stock_id\":1}").status())
                .isEqualTo(400);
        assertThat(fx.client
                        .admin("POST", "/__sim/faults", "{\"type\":\"NOPE\"}")
                        .status())
                .isEqualTo(400);
        assertThat(fx.client.admin("POST", "/__sim/coupons", "not json").status())
                .isEqualTo(400);
        assertThat(fx.client.admin("GET", "/__sim/nothing", "").status()).isEqualTo(404);
    }
}
