/** Merchant-coupon (busifavor) state and the redemption rules with WeChat's error answers. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.coupon;
