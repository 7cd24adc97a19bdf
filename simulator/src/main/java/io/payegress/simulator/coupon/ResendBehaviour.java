package io.payegress.simulator.coupon;

import java.util.Locale;

/**
 * What a resent {@code use_request_no} gets once its coupon is redeemed; WeChat's documentation does not say, so the
 * simulator can play either: the original answer again, or RESOURCE_ALREADY_EXISTS as for any other number.
 */
public enum ResendBehaviour {
    /** The original 200, byte for byte. */
    REPLAY,
    /** 400 RESOURCE_ALREADY_EXISTS "券已被其他订单核销", as if another order had used the coupon. */
    ALREADY_EXISTS;

    /** Parses {@code replay} or {@code already-exists} (any case, dash or underscore). */
    public static ResendBehaviour parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
