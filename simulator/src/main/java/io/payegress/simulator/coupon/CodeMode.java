package io.payegress.simulator.coupon;

/** How a stock's coupon codes are made; MERCHANT_API and MERCHANT_UPLOAD stocks require stock_id on redemption. */
public enum CodeMode {
    WECHATPAY_MODE,
    MERCHANT_API,
    MERCHANT_UPLOAD;

    public boolean requiresStockId() {
        return this != WECHATPAY_MODE;
    }
}
