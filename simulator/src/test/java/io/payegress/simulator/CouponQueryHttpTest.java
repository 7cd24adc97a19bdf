package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import io.payegress.simulator.signing.KeyMaterial;
import java.time.Clock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coupon query the gateway reconciles with (GET /v3/marketing/busifavor/users/{openid}/coupons/{code}/appids/{appid})
 * and the switch for what a resent use_request_no gets, over real HTTP: signed answers, verified requests, faults
 * aimed at the query alone, and the admin API.
 */
class CouponQueryHttpTest {

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

    static String query(String openid, String code, String appid) {
        return "/v3/marketing/busifavor/users/" + openid + "/coupons/" + code + "/appids/" + appid;
    }

    static String demoQuery(String code) {
        return query(CouponSeed.DEMO_OPENID, code, CouponSeed.DEMO_APPID);
    }

    @Test
    void anUnusedCouponIsSendedWithoutARedemption() {
        SimClient.Response response = fx.client.get(demoQuery("load-q1"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fx.verifies(response)).isTrue();
        assertThat(response.json().path("coupon_state").asString()).isEqualTo("SENDED");
        assertThat(response.json().path("stock_id").asString()).isEqualTo(CouponSeed.DEMO_STOCK);
        assertThat(response.json().has("use_request_no")).isFalse();
        assertThat(response.json().has("use_time")).isFalse();
    }

    @Test
    void aRedeemedCouponNamesItsUseRequestNoAndTheUseTimeOfTheRedemption() {
        SimClient.Response used = fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-q2", "urn-q2"));

        SimClient.Response response = fx.client.get(demoQuery("load-q2"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fx.verifies(response)).isTrue();
        assertThat(response.json().path("coupon_state").asString()).isEqualTo("USED");
        assertThat(response.json().path("use_request_no").asString()).isEqualTo("urn-q2");
        assertThat(response.json().path("use_time").asString())
                .isEqualTo(used.json().path("wechatpay_use_time").asString());
    }

    @Test
    void aCouponPastItsStocksValidityIsExpired() {
        SimClient.Response response = fx.client.get(demoQuery("expired-0001"));

        assertThat(response.json().path("coupon_state").asString()).isEqualTo("EXPIRED");
    }

    @Test
    void queriesAreCountedApartFromTheCallsThatChangeCoupons() {
        fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-q3", "urn-q3"));
        fx.client.get(demoQuery("load-q3"));
        fx.client.get(demoQuery("load-q3"));

        assertThat(fx.sim.stats().totalCalls()).isEqualTo(1);
        assertThat(fx.sim.stats().queries()).isEqualTo(2);
        assertThat(fx.sim.stats().redemptions()).isEqualTo(1);
    }

    @Test
    void wrongOpenidUnknownCouponAndUnboundAppidAreRefusedLikeWeChat() {
        assertThat(fx.client
                        .get(query("someone-else", "load-q4", CouponSeed.DEMO_APPID))
                        .code())
                .isEqualTo("USER_NOT_EXISTS");
        assertThat(fx.client.get(demoQuery("no-such-coupon")).code()).isEqualTo("RESOURCE_NOT_EXISTS");
        assertThat(fx.client
                        .get(query(CouponSeed.DEMO_OPENID, "load-q4", "wx0000000000000"))
                        .code())
                .isEqualTo("APPID_MCHID_NOT_MATCH");
        assertThat(fx.client
                        .get(query(CouponSeed.DEMO_OPENID, "other-merchant-0001", CouponSeed.DEMO_OTHER_APPID))
                        .code())
                .isEqualTo("NO_AUTH");
    }

    @Test
    void anUnsignedOrWronglySignedQueryAnswers401() {
        TestSigner stranger = new TestSigner(
                CouponSeed.DEMO_MCHID,
                fx.merchant.serial(),
                KeyMaterial.generate().privateKey());
        SimClient client = new SimClient(fx.sim.baseUrl(), stranger, Clock.systemUTC());

        SimClient.Response response = client.get(demoQuery("load-q5"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("SIGN_ERROR");
        assertThat(response.json().at("/detail/sign_information/method").asString())
                .isEqualTo("GET");
    }

    @Test
    void aFaultAimedAtTheQueryPathHitsQueriesOnly() {
        fx.sim
                .faults()
                .add(FaultSpec.untilCleared(FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath(WeChatPaySimulator.QUERY_PATH));

        SimClient.Response used = fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-q6", "urn-q6"));
        SimClient.Response queried = fx.client.get(demoQuery("load-q6"));

        assertThat(used.status()).isEqualTo(200);
        assertThat(queried.status()).isEqualTo(500);
        assertThat(queried.code()).isEqualTo("SYSTEM_ERROR");
    }

    @Test
    void aResetAfterCommitOnTheQueryDropsTheConnection() {
        fx.sim
                .faults()
                .add(FaultSpec.next(1, FaultType.CONNECTION_RESET, FaultPhase.AFTER)
                        .onPath(WeChatPaySimulator.QUERY_PATH));

        assertThatThrownBy(() -> fx.client.get(demoQuery("load-q7"))).isInstanceOf(RuntimeException.class);
        assertThat(fx.client.get(demoQuery("load-q7")).status()).isEqualTo(200);
    }

    @Test
    void aResentUseRequestNoReplaysTheOriginalAnswerByDefault() {
        String body = SimulatorFixture.useBody("load-r1", "urn-r1");
        SimClient.Response first = fx.client.post(SimClient.USE, body);

        SimClient.Response again = fx.client.post(SimClient.USE, body);

        assertThat(fx.sim.resend()).isEqualTo(ResendBehaviour.REPLAY);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(fx.sim.stats().duplicateUseRequestNo()).isEqualTo(1);
    }

    @Test
    void withTheSwitchAResentUseRequestNoGetsResourceAlreadyExistsLikeAnotherNumber() {
        fx.sim.setResend(ResendBehaviour.ALREADY_EXISTS);
        String body = SimulatorFixture.useBody("load-r2", "urn-r2");
        assertThat(fx.client.post(SimClient.USE, body).status()).isEqualTo(200);

        SimClient.Response again = fx.client.post(SimClient.USE, body);
        SimClient.Response other = fx.client.post(SimClient.USE, SimulatorFixture.useBody("load-r2", "urn-other"));

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.code()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(again.json().path("message").asString()).isEqualTo("券已被其他订单核销");
        assertThat(fx.verifies(again)).isTrue();
        assertThat(again.body()).isEqualTo(other.body());
        assertThat(fx.sim.stats().redemptions()).isEqualTo(1);
        assertThat(fx.sim.stats().duplicateUseRequestNo()).isEqualTo(1);
        assertThat(fx.client
                        .get(demoQuery("load-r2"))
                        .json()
                        .path("use_request_no")
                        .asString())
                .isEqualTo("urn-r2");
    }

    @Test
    void theSwitchIsSetAndReadThroughTheAdminApiAndResetRestoresTheConfiguredOne() {
        assertThat(fx.client
                        .admin("GET", "/__sim/resend", "")
                        .json()
                        .path("resend")
                        .asString())
                .isEqualTo("replay");

        SimClient.Response set = fx.client.admin("PUT", "/__sim/resend", "{\"resend\":\"already-exists\"}");

        assertThat(set.json().path("resend").asString()).isEqualTo("already-exists");
        assertThat(fx.sim.resend()).isEqualTo(ResendBehaviour.ALREADY_EXISTS);
        assertThat(fx.client
                        .admin("PUT", "/__sim/resend", "{\"resend\":\"sometimes\"}")
                        .status())
                .isEqualTo(400);
        fx.reset();
        assertThat(fx.sim.resend()).isEqualTo(ResendBehaviour.REPLAY);
    }

    @Test
    void theStandaloneSimulatorTakesTheSwitchFromItsCommandLine() {
        try (WeChatPaySimulator standalone = SimulatorMain.start(
                new String[] {"--port=0", "--host=127.0.0.1", "--resend=already-exists"}, java.util.Map.of())) {
            assertThat(standalone.resend()).isEqualTo(ResendBehaviour.ALREADY_EXISTS);
        }
    }

    @Test
    void aProbabilisticFaultHitsSomeCallsAndSparesTheOthers() {
        fx.sim
                .faults()
                .add(FaultSpec.sometimes(0.5, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath(WeChatPaySimulator.QUERY_PATH));

        long failed = IntStream.range(0, 40)
                .filter(i -> fx.client.get(demoQuery("load-p" + i)).status() == 500)
                .count();

        assertThat(failed).isBetween(5L, 35L);
    }
}
