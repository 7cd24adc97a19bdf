package io.payegress.filters.tenant;

/** How a merchant-coupon stock issues its codes; MERCHANT_API and MERCHANT_UPLOAD require stock_id on redemption. */
public enum CodeMode {
    WECHATPAY_MODE,
    MERCHANT_API,
    MERCHANT_UPLOAD;

    public boolean requiresStockId() {
        return this != WECHATPAY_MODE;
    }
}
