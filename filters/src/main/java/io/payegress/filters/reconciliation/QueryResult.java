package io.payegress.filters.reconciliation;

import org.jspecify.annotations.Nullable;

/** How one coupon query ended: the coupon as WeChat Pay described it, or no usable answer and why. */
public sealed interface QueryResult {

    /** A verified answer describing the coupon; {@code requestId} is WeChat's Request-ID of the query. */
    record Found(QueriedCoupon coupon, @Nullable String requestId) implements QueryResult {}

    /** No usable answer: the budget, the retries or the time ran out, or WeChat refused or answered nonsense. */
    record Failed(Reason reason, String detail) implements QueryResult {}

    /** Why a query gave no usable answer. */
    enum Reason {
        /** The query budget granted no call before the query's deadline. */
        BUDGET,
        /** Every attempt failed transiently (5xx, SYSTEM_ERROR, 429, transport, bad signature) or time ran out. */
        UNAVAILABLE,
        /** WeChat refused the query for good (e.g. RESOURCE_NOT_EXISTS, USER_NOT_EXISTS), or its answer made no sense. */
        INCONCLUSIVE
    }
}
