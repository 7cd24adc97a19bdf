package io.payegress.filters.validation;

import java.util.Locale;

/**
 * Why a body was refused: a small fixed set, used as the {@code reason} label of
 * {@code payegress_validation_rejections_total}. A request is counted once, under its first reason in this order.
 */
public enum RejectionReason {
    INVALID_UTF8,
    NOT_JSON,
    DUPLICATE_KEY,
    TOO_DEEP,
    NUMBER_TOO_LONG,
    NOT_OBJECT,
    NULL_VALUE,
    FOUR_BYTE_UTF8,
    SCHEMA,
    STOCK_ID_REQUIRED,
    OPENID_REQUIRED,
    FORBIDDEN_APPID,
    FORBIDDEN_STOCK;

    /** The metric label: the constant's name in lower case, e.g. {@code four_byte_utf8}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
