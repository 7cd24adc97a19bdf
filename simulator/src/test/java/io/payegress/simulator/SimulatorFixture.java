package io.payegress.simulator;

import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.signing.KeyMaterial;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** One simulator per test class with generated platform and merchant keys and a manual rate-limit ticker. */
final class SimulatorFixture implements AutoCloseable {

    static final String SEED_BODY = "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
            + "\"appid\":\"wx1234567889999\",\"use_time\":\"2015-05-20T13:29:35+08:00\","
            + "\"use_request_no\":\"1002600620019090123143254435\",\"openid\":\"xsd3434454567676\"}";

    final KeyMaterial platform = KeyMaterial.generatePlatform();
    final KeyMaterial merchant = KeyMaterial.generate();
    final AtomicLong ticker = new AtomicLong(1_000_000_000_000L);
    final WeChatPaySimulator sim;
    final TestSigner signer;
    final SimClient client;

    SimulatorFixture() {
        sim = WeChatPaySimulator.start(
                SimulatorConfig.demo(platform, merchant).ticker(ticker::get).build());
        signer = new TestSigner(CouponSeed.DEMO_MCHID, merchant.serial(), merchant.privateKey());
        client = new SimClient(sim.baseUrl(), signer, Clock.systemUTC());
    }

    /** Resets the simulator and moves the ticker well past any previous window. */
    void reset() {
        sim.reset();
        ticker.addAndGet(5_000_000_000L);
    }

    /** A use body for the demo stock and appid. */
    static String useBody(String code, String useRequestNo) {
        return "{\"coupon_code\":\"" + code + "\",\"stock_id\":\"100088\",\"appid\":\"wx1234567889999\","
                + "\"use_time\":\"2015-05-20T13:29:35+08:00\",\"use_request_no\":\"" + useRequestNo + "\"}";
    }

    boolean verifies(SimClient.Response response) {
        return TestSigner.verifyResponse(
                platform.publicKey(),
                response.header("Wechatpay-Timestamp"),
                response.header("Wechatpay-Nonce"),
                response.body(),
                response.header("Wechatpay-Signature"));
    }

    @Override
    public void close() {
        sim.close();
    }
}
