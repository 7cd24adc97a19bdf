package io.payegress.gateway.support;

import io.payegress.simulator.SimulatorConfig;
import io.payegress.simulator.WeChatPaySimulator;
import io.payegress.simulator.coupon.CouponSeed;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator with the demo seed, fresh demo keys, and the gateway properties that point at both: what the local
 * run and the end-to-end tests start gateways against.
 */
public final class PaymentTestBed implements AutoCloseable {

    public static final String SEED_BODY = "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
            + "\"appid\":\"wx1234567889999\",\"use_time\":\"2015-05-20T13:29:35+08:00\","
            + "\"use_request_no\":\"1002600620019090123143254435\",\"openid\":\"xsd3434454567676\"}";
    public static final String DEMO_API_KEY = "local-demo-key";
    public static final String USE_PATH = "/v3/marketing/busifavor/coupons/use";
    public static final String TEST_SAFETY_MARGIN = "payegress.budget.safety-margin";
    public static final String TEST_LATE_TOLERANCE = "payegress.budget.late-tolerance";

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final DemoKeys keys;
    private final WeChatPaySimulator simulator;

    private PaymentTestBed(DemoKeys keys, WeChatPaySimulator simulator) {
        this.keys = keys;
        this.simulator = simulator;
    }

    public static PaymentTestBed start(Path keyDirectory, int simulatorPort) {
        DemoKeys keys = DemoKeys.generate(keyDirectory);
        WeChatPaySimulator simulator = WeChatPaySimulator.start(SimulatorConfig.demo(keys.platform(), keys.merchant())
                .port(simulatorPort)
                .build());
        return new PaymentTestBed(keys, simulator);
    }

    /** A redemption of the given coupon under the given use_request_no, otherwise the seed example. */
    public static String redemption(String couponCode, String useRequestNo) {
        return SEED_BODY.replace("sxxe34343434", couponCode).replace("1002600620019090123143254435", useRequestNo);
    }

    /** A redemption of a coupon no test used before (the simulator creates {@code load-*} coupons on first use). */
    public static String freshRedemption() {
        long n = SEQUENCE.incrementAndGet();
        return redemption("load-" + n, "urn-" + n);
    }

    /** Properties for a gateway of the {@code local} profile talking to this simulator with these keys. */
    public Map<String, Object> gatewayProperties() {
        return gatewayProperties(simulator, keys);
    }

    /** Properties for a gateway of the {@code local} profile talking to {@code simulator}, signing with {@code keys}. */
    public static Map<String, Object> gatewayProperties(WeChatPaySimulator simulator, DemoKeys keys) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("payegress.wechatpay.base-url", simulator.baseUrl());
        properties.put("payegress.wechatpay.merchant-id", CouponSeed.DEMO_MCHID);
        properties.put(
                "payegress.wechatpay.private-key-file", keys.merchantKeyFile().toString());
        properties.put("payegress.wechatpay.serial-no", keys.merchant().serial());
        properties.put("payegress.wechatpay.public-key-id", simulator.platformPublicKeyId());
        properties.put("payegress.wechatpay.platform-keys[0].id", simulator.platformPublicKeyId());
        properties.put(
                "payegress.wechatpay.platform-keys[0].public-key-file",
                keys.platformPublicKeyFile().toString());
        // End-to-end tests check what the gateway answers, not how fast a loaded CI machine gets a request from the
        // budget to the socket: with the production margin (100 ms, 25 ms of it allowed between slot and write) a
        // stalled machine can refuse a grant three times and answer 429. The budget's timing is tested by the
        // limiter tests and measured by bench/budget.sh. The local run keeps the production margin.
        properties.put(TEST_SAFETY_MARGIN, "2s");
        properties.put(TEST_LATE_TOLERANCE, "500ms");
        return properties;
    }

    public GatewayInstance startGateway(Map<String, Object> overrides) {
        Map<String, Object> properties = gatewayProperties();
        properties.putAll(overrides);
        return GatewayInstance.start(properties, "local");
    }

    public GatewayInstance startGateway() {
        return startGateway(Map.of());
    }

    public WeChatPaySimulator simulator() {
        return simulator;
    }

    public DemoKeys keys() {
        return keys;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
