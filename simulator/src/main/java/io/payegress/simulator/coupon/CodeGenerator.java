package io.payegress.simulator.coupon;

import org.jspecify.annotations.Nullable;

/**
 * Makes coupons exist on first use: any code starting with {@code prefix} is a SENDED coupon of the given stock, so
 * benchmarks can redeem millions of distinct codes without seeding them.
 */
public record CodeGenerator(
        String prefix,
        String stockId,
        String appid,
        @Nullable String openid) {

    public boolean matches(String code) {
        return code.startsWith(prefix) && code.length() > prefix.length();
    }

    public Coupon create(String code) {
        return Coupon.sended(code, stockId, appid, openid);
    }
}
