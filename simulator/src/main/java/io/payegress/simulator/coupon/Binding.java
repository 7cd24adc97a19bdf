package io.payegress.simulator.coupon;

/** An appid bound to a merchant: WeChat refuses a redemption whose appid is not bound to the calling mchid. */
public record Binding(String appid, String mchid) {}
