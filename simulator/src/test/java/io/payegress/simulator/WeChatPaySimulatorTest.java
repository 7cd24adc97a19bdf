package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.simulator.coupon.CouponState;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.stats.SimulatorStats;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeChatPaySimulatorTest {

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
    void redeemsTheSeedExampleWithASignedAnswerTheGatewayCanVerify() {
        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("stock_id").asString()).isEqualTo("100088");
        assertThat(response.json().path("openid").asString()).isEqualTo("xsd3434454567676");
        assertThat(response.json().path("wechatpay_use_time").asString()).matches("\\d{4}-.*\\+08:00");
        assertThat(response.header("Wechatpay-Serial")).isEqualTo(fx.platform.serial());
        assertThat(response.header("Wechatpay-Signature-Type")).isEqualTo("WECHATPAY2-SHA256-RSA2048");
        assertThat(response.header("Wechatpay-Timestamp")).matches("\\d{10}");
        assertThat(response.header("Request-ID")).matches("[0-9A-F]+-0");
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(fx.verifies(response)).isTrue();
        assertThat(fx.sim.state().coupon("sxxe34343434").orElseThrow().state()).isEqualTo(CouponState.USED);
        assertThat(fx.sim.stats().redemptions()).isEqualTo(1);
        assertThat(fx.sim.stats().verifiedSignatures()).isEqualTo(1);
    }

    @Test
    void resendOfTheSameUseRequestNoReturnsIdenticalBytesAndCountsAsDuplicate() {
        SimClient.Response first = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        SimClient.Response second = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(fx.verifies(second)).isTrue();
        SimulatorStats stats = fx.sim.stats();
        assertThat(stats.redemptions()).isEqualTo(1);
        assertThat(stats.duplicateUseRequestNo()).isEqualTo(1);
    }

    @Test
    void badSignatureAnswers401WithWeChatsDebugDetailAndNoSignatureHeaders() {
        String otherKeyAuth = new TestSigner(
                        "1900000001",
                        fx.merchant.serial(),
                        KeyMaterial.generate().privateKey())
                .authorization(
                        "POST", SimClient.USE, Clock.systemUTC().instant().getEpochSecond(), "N1", new byte[0]);

        SimClient.Response response =
                fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY, Map.of("Authorization", otherKeyAuth));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("SIGN_ERROR");
        assertThat(response.json().at("/detail/field").asString()).isEqualTo("signature");
        assertThat(response.json().at("/detail/location").asString()).isEqualTo("authorization");
        assertThat(response.json().at("/detail/detail/issue").asString()).isEqualTo("sign not match");
        assertThat(response.json().at("/detail/sign_information/method").asString())
                .isEqualTo("POST");
        assertThat(response.json().at("/detail/sign_information/url").asString())
                .isEqualTo(SimClient.USE);
        assertThat(response.json()
                        .at("/detail/sign_information/truncated_sign_message")
                        .asString())
                .startsWith("POST\n" + SimClient.USE + "\n");
        assertThat(response.json()
                        .at("/detail/sign_information/sign_message_length")
                        .asInt())
                .isEqualTo(("POST\n" + SimClient.USE + "\n").length()
                        + 10
                        + 1
                        + 2
                        + 1
                        + SimulatorFixture.SEED_BODY.length()
                        + 1);
        assertThat(response.header("Wechatpay-Signature")).isNull();
        assertThat(fx.sim.stats().signatureFailures()).isEqualTo(1);
        assertThat(fx.sim.stats().accepted()).isZero();
    }

    @Test
    void timestampMoreThanFiveMinutesOffAnswers401() {
        SimClient stale =
                new SimClient(fx.sim.baseUrl(), fx.signer, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));

        SimClient.Response response = stale.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("SIGN_ERROR");
        assertThat(response.json().path("message").asString())
                .isEqualTo("Http头Authorization中的timestamp与发起请求的时间不得超过5分钟");
    }

    @Test
    void unknownSerialAnswers401() {
        TestSigner unknown = new TestSigner("1900000001", "UNKNOWN0SERIAL", fx.merchant.privateKey());
        SimClient client = new SimClient(fx.sim.baseUrl(), unknown, Clock.systemUTC());

        assertThat(client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(401);
    }

    @Test
    void rotatedMerchantKeyIsAcceptedNextToTheOldOne() {
        KeyMaterial rotated = KeyMaterial.generate();
        fx.sim.addMerchantKey("1900000001", rotated.serial(), rotated.publicKey());
        SimClient client = new SimClient(
                fx.sim.baseUrl(),
                new TestSigner("1900000001", rotated.serial(), rotated.privateKey()),
                Clock.systemUTC());

        assertThat(client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
    }

    @Test
    void missingAcceptOrUserAgentAnswers400InvalidRequest() {
        byte[] body = SimulatorFixture.SEED_BODY.getBytes(StandardCharsets.UTF_8);
        String auth = fx.signer.authorization(
                "POST", SimClient.USE, Clock.systemUTC().instant().getEpochSecond(), "N2", body);
        Map<String, String> complete = Map.of(
                "Accept", "application/json",
                "User-Agent", "raw/1.0",
                "Content-Type", "application/json",
                "Authorization", auth);
        for (String missing : new String[] {"Accept", "User-Agent"}) {
            Map<String, String> headers = new HashMap<>(complete);
            headers.remove(missing);

            assertThat(RawHttp.post(fx.sim.port(), SimClient.USE, headers, body))
                    .isEqualTo(400);
        }
        assertThat(fx.sim.stats().status(400)).isEqualTo(2);
        assertThat(RawHttp.post(fx.sim.port(), SimClient.USE, complete, body)).isEqualTo(200);
    }

    @Test
    void blankAcceptAnswers400InvalidRequestWithWeChatsMessageSigned() {
        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY, Map.of("Accept", " "));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
        assertThat(response.json().path("message").asString()).isEqualTo("Http头缺少Accept或User-Agent");
        assertThat(fx.verifies(response)).isTrue();
    }

    @Test
    void slidingWindowAcceptsExactlyTheLimitAndRejectsTheRestWith429() {
        fx.sim.setLimitPerSecond(5);
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-" + i, "r" + i));
            if (response.status() == 200) {
                accepted++;
            } else if (response.status() == 429 && response.code().equals("FREQUENCY_LIMITED")) {
                assertThat(fx.verifies(response)).isTrue();
                limited++;
            }
            fx.ticker.addAndGet(10_000_000L);
        }

        assertThat(accepted).isEqualTo(5);
        assertThat(limited).isEqualTo(3);
        SimulatorStats stats = fx.sim.stats();
        assertThat(stats.accepted()).isEqualTo(5);
        assertThat(stats.rejectedByLimit()).isEqualTo(3);
        assertThat(stats.maxAcceptedInAnySlidingSecond()).isEqualTo(5);
        assertThat(stats.maxInAnySlidingSecond()).isEqualTo(8);
        assertThat(stats.status(429)).isEqualTo(3);
    }

    @Test
    void limitFreesUpOnceTheOldestAcceptedCallLeavesTheWindow() {
        fx.sim.setLimitPerSecond(2);
        fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-a", "a"));
        fx.ticker.addAndGet(500_000_000L);
        fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-b", "b"));
        assertThat(fx.client
                        .post(SimClient.USE, SimulatorFixture.useBody("load-c", "c"))
                        .status())
                .isEqualTo(429);

        fx.ticker.addAndGet(500_000_000L);

        assertThat(fx.client
                        .post(SimClient.USE, SimulatorFixture.useBody("load-c", "c"))
                        .status())
                .isEqualTo(200);
        assertThat(fx.sim.stats().maxAcceptedInAnySlidingSecond()).isEqualTo(2);
    }

    @Test
    void recordsRequestsWithAllHeadersAndRawBody() {
        fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(fx.sim.recordedRequests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo(SimClient.USE);
            assertThat(request.bodyAsString()).isEqualTo(SimulatorFixture.SEED_BODY);
            assertThat(request.header("authorization")).get().asString().startsWith("WECHATPAY2-SHA256-RSA2048 ");
            assertThat(request.header("User-Agent")).contains("payegress-test/1.0");
        });
    }

    @Test
    void unknownPathAnswers404() {
        assertThat(fx.client.post("/v3/unknown", "{}").status()).isEqualTo(404);
    }
}
