package io.payegress.simulator.coupon;

/** The two coupon states redemption moves between: SENDED (issued, usable) and USED (redeemed). */
public enum CouponState {
    SENDED,
    USED
}
