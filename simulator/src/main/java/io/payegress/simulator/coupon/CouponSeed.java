package io.payegress.simulator.coupon;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The coupon state a simulator starts from and returns to on reset: stocks, coupons, appid bindings, registered
 * merchants and code generators. {@link #demo()} is the seed every local run and test relies on.
 */
public record CouponSeed(
        List<Stock> stocks,
        List<Coupon> coupons,
        List<Binding> bindings,
        List<String> merchants,
        List<CodeGenerator> generators) {

    public static final String DEMO_MCHID = "1900000001";
    public static final String DEMO_OTHER_MCHID = "1900000002";
    public static final String DEMO_STOCK = "100088";
    public static final String DEMO_APPID = "wx1234567889999";
    public static final String DEMO_OTHER_APPID = "wx9999999999999";
    public static final String DEMO_OPENID = "xsd3434454567676";
    public static final String DEMO_COUPON = "sxxe34343434";
    public static final String DEMO_USE_REQUEST_NO = "1002600620019090123143254435";
    /** Codes {@code load-<n>} exist in the demo stock on first use. */
    public static final String LOAD_PREFIX = "load-";

    public CouponSeed {
        stocks = List.copyOf(stocks);
        coupons = List.copyOf(coupons);
        bindings = List.copyOf(bindings);
        merchants = List.copyOf(merchants);
        generators = List.copyOf(generators);
    }

    public static CouponSeed empty() {
        return new CouponSeed(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /**
     * The demo seed. Besides the documented example coupon {@value #DEMO_COUPON} it holds one coupon per error
     * situation: {@code other-merchant-0001} (NO_AUTH), {@code wxmode-0001} (stock_id optional),
     * {@code expired-0001} (RULELIMIT), {@code badmode-0001} and {@code uploadfull-0001} (INVALID_REQUEST),
     * {@code used-0001} (USED by {@code used-request-0001}) and {@code demo-0001..demo-0100} (plain SENDED).
     */
    public static CouponSeed demo() {
        OffsetDateTime begin = OffsetDateTime.parse("2015-01-01T00:00:00+08:00");
        OffsetDateTime end = OffsetDateTime.parse("2035-12-31T23:59:59+08:00");
        List<Stock> stocks = List.of(
                Stock.of(DEMO_STOCK, DEMO_MCHID, CodeMode.MERCHANT_API, begin, end),
                Stock.of("100089", DEMO_OTHER_MCHID, CodeMode.MERCHANT_API, begin, end),
                Stock.of("100090", DEMO_MCHID, CodeMode.WECHATPAY_MODE, begin, end),
                Stock.of(
                        "100091",
                        DEMO_MCHID,
                        CodeMode.MERCHANT_API,
                        OffsetDateTime.parse("2014-01-01T00:00:00+08:00"),
                        OffsetDateTime.parse("2014-12-31T23:59:59+08:00")),
                new Stock("100092", DEMO_MCHID, CodeMode.MERCHANT_API, begin, end, true, false),
                new Stock("100093", DEMO_MCHID, CodeMode.MERCHANT_UPLOAD, begin, end, false, true));
        List<Coupon> coupons = new ArrayList<>(List.of(
                Coupon.sended(DEMO_COUPON, DEMO_STOCK, DEMO_APPID, DEMO_OPENID),
                Coupon.sended("other-merchant-0001", "100089", DEMO_OTHER_APPID, DEMO_OPENID),
                Coupon.sended("wxmode-0001", "100090", DEMO_APPID, DEMO_OPENID),
                Coupon.sended("expired-0001", "100091", DEMO_APPID, DEMO_OPENID),
                Coupon.sended("badmode-0001", "100092", DEMO_APPID, DEMO_OPENID),
                Coupon.sended("uploadfull-0001", "100093", DEMO_APPID, DEMO_OPENID),
                Coupon.sended("used-0001", DEMO_STOCK, DEMO_APPID, DEMO_OPENID)
                        .used("used-request-0001", "2020-01-01T10:00:00+08:00")));
        for (int i = 1; i <= 100; i++) {
            coupons.add(Coupon.sended(String.format("demo-%04d", i), DEMO_STOCK, DEMO_APPID, DEMO_OPENID));
        }
        List<Binding> bindings =
                List.of(new Binding(DEMO_APPID, DEMO_MCHID), new Binding(DEMO_OTHER_APPID, DEMO_OTHER_MCHID));
        List<CodeGenerator> generators = List.of(new CodeGenerator(LOAD_PREFIX, DEMO_STOCK, DEMO_APPID, DEMO_OPENID));
        return new CouponSeed(stocks, coupons, bindings, List.of(DEMO_MCHID, DEMO_OTHER_MCHID), generators);
    }
}
