package io.payegress.simulator.coupon;

import org.jspecify.annotations.Nullable;

/**
 * One coupon and its redemption state. Immutable: the book swaps whole values atomically, so concurrent redemptions
 * of one code cannot both win. {@code wechatpayUseTime} is kept so an idempotent resend gets identical bytes.
 */
public record Coupon(
        String code,
        String stockId,
        String appid,
        @Nullable String openid,
        CouponState state,
        @Nullable String useRequestNo,
        @Nullable String wechatpayUseTime,
        @Nullable String returnRequestNo,
        @Nullable String wechatpayReturnTime) {

    /** A freshly issued (SENDED) coupon. */
    public static Coupon sended(String code, String stockId, String appid, @Nullable String openid) {
        return new Coupon(code, stockId, appid, openid, CouponState.SENDED, null, null, null, null);
    }

    /** This coupon moved to USED by the given use_request_no at the given WeChat time. */
    public Coupon used(String useRequestNo, String wechatpayUseTime) {
        return new Coupon(code, stockId, appid, openid, CouponState.USED, useRequestNo, wechatpayUseTime, null, null);
    }

    /** This coupon moved back to SENDED by a return, remembering the return_request_no for idempotent resends. */
    public Coupon returned(String returnRequestNo, String wechatpayReturnTime) {
        return new Coupon(
                code, stockId, appid, openid, CouponState.SENDED, null, null, returnRequestNo, wechatpayReturnTime);
    }
}
