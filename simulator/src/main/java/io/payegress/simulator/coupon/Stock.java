package io.payegress.simulator.coupon;

import java.time.OffsetDateTime;

/**
 * A merchant-coupon stock (批次): its owning merchant, code mode, validity window and the flags that make WeChat
 * refuse redemptions with INVALID_REQUEST.
 */
public record Stock(
        String stockId,
        String ownerMchid,
        CodeMode codeMode,
        OffsetDateTime validBegin,
        OffsetDateTime validEnd,
        boolean issueModeInvalid,
        boolean uploadLimitReached) {

    /** A stock without the INVALID_REQUEST flags. */
    public static Stock of(
            String stockId, String ownerMchid, CodeMode codeMode, OffsetDateTime begin, OffsetDateTime end) {
        return new Stock(stockId, ownerMchid, codeMode, begin, end, false, false);
    }

    /** True when the instant lies inside the validity window, both ends included. */
    public boolean covers(OffsetDateTime time) {
        return !time.isBefore(validBegin) && !time.isAfter(validEnd);
    }
}
