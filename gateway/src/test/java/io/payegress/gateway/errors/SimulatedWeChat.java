package io.payegress.gateway.errors;

import io.payegress.gateway.support.DemoKeys;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.SimulatorConfig;
import io.payegress.simulator.WeChatPaySimulator;
import io.payegress.simulator.coupon.CouponSeed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulator as the error tests need it: the demo seed except that the demo merchant is registered only when a
 * scenario wants it (so MCH_NOT_EXISTS can be answered), and a clock the test can skew (so SIGN_ERROR can be).
 */
final class SimulatedWeChat implements AutoCloseable {

    private final DemoKeys keys;
    private final OffsetClock clock;
    private final WeChatPaySimulator simulator;

    private SimulatedWeChat(DemoKeys keys, OffsetClock clock, WeChatPaySimulator simulator) {
        this.keys = keys;
        this.clock = clock;
        this.simulator = simulator;
    }

    static SimulatedWeChat start(Path keyDirectory) {
        DemoKeys keys = DemoKeys.generate(keyDirectory);
        OffsetClock clock = new OffsetClock();
        CouponSeed demo = CouponSeed.demo();
        CouponSeed seed = new CouponSeed(
                demo.stocks(),
                demo.coupons(),
                demo.bindings(),
                List.of(CouponSeed.DEMO_OTHER_MCHID),
                demo.generators());
        WeChatPaySimulator simulator = WeChatPaySimulator.start(SimulatorConfig.demo(keys.platform(), keys.merchant())
                .clock(clock)
                .seed(seed)
                .build());
        return new SimulatedWeChat(keys, clock, simulator);
    }

    /** Gateway properties pointing at this simulator, with a short per-attempt response timeout. */
    Map<String, Object> gatewayProperties(Duration responseTimeout) {
        Map<String, Object> properties = PaymentTestBed.gatewayProperties(simulator, keys);
        properties.put("payegress.upstream.response-timeout", responseTimeout.toMillis() + "ms");
        return properties;
    }

    /** Back to the seed, no faults, the real clock, and the demo merchant registered. */
    void reset() {
        simulator.reset();
        clock.offset(Duration.ZERO);
        simulator.state().registerMerchant(CouponSeed.DEMO_MCHID);
    }

    /** As after {@link #reset()} but WeChat does not know the demo merchant. */
    void resetWithoutMerchant() {
        simulator.reset();
        clock.offset(Duration.ZERO);
    }

    void skewClock(Duration offset) {
        clock.offset(offset);
    }

    WeChatPaySimulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
