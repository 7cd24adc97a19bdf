package io.payegress.filters.reconciliation;

import java.util.Set;

/**
 * The rules for an ambiguous redemption, in plain Java. A redemption is ambiguous when an earlier attempt with its
 * use_request_no may have reached WeChat Pay without a final answer (this request's own earlier attempt, or one the
 * dedupe record remembers, or a history the store cannot vouch for); then WeChat's RESOURCE_ALREADY_EXISTS is not final
 * but checked with the coupon query, and a redemption whose answer cannot be checked ends with its outcome unknown,
 * never with a guess.
 */
public final class ReconciliationRules {

    /** Which RESOURCE_ALREADY_EXISTS answers are checked with the coupon query. */
    public enum Verification {
        /** Only those of ambiguous redemptions (the rule of the issue: others are final as WeChat said). */
        WHEN_AMBIGUOUS,
        /**
         * Every one that carries an openid: also covers an earlier attempt the gateway cannot know of (made by a replica
         * cut off from Redis), at the cost of one query per coupon really used by another order.
         */
        ALWAYS
    }

    /** What to do with an attempt answered RESOURCE_ALREADY_EXISTS. */
    public enum OnAlreadyExists {
        /** WeChat's answer stands: 409 COUPON_ALREADY_USED. */
        FINAL,
        /** Ask the coupon query. */
        QUERY,
        /** Ambiguous, and no openid to query with: the outcome is unknown (504, retryable). */
        UNKNOWN_WITHOUT_OPENID
    }

    /** What the coupon's state says of this redemption. */
    public enum Finding {
        /** USED under this use_request_no: the gateway's earlier attempt redeemed it. */
        REDEEMED_BY_US,
        /** USED under another use_request_no: another order has it. */
        USED_BY_ANOTHER,
        /** Not used (SENDED, EXPIRED, DELETED, DEACTIVATED): no attempt redeemed it. */
        NOT_USED,
        /** An unknown state, or USED without its use_request_no. */
        INCONCLUSIVE
    }

    /** The answer a finding (or a failed query) leads to. */
    public enum Answer {
        /** 200 with stock_id, openid and wechatpay_use_time, stored like any success. */
        SUCCESS,
        /** 409 COUPON_ALREADY_USED, final. */
        ALREADY_USED,
        /** Send the redemption again within the deadline (inline), or let the POS's resend do it (later). */
        RETRY,
        /** 504 UPSTREAM_OUTCOME_UNKNOWN, retryable with the same use_request_no; nothing is stored. */
        UNKNOWN
    }

    private static final Set<String> UNUSED = Set.of("SENDED", "EXPIRED", "DELETED", "DEACTIVATED");

    private ReconciliationRules() {}

    /** Whether to believe, query or give up on a RESOURCE_ALREADY_EXISTS. */
    public static OnAlreadyExists onAlreadyExists(boolean ambiguous, Verification verification, boolean hasOpenid) {
        if (!ambiguous && verification == Verification.WHEN_AMBIGUOUS) {
            return OnAlreadyExists.FINAL;
        }
        if (!hasOpenid) {
            return ambiguous ? OnAlreadyExists.UNKNOWN_WITHOUT_OPENID : OnAlreadyExists.FINAL;
        }
        return OnAlreadyExists.QUERY;
    }

    /** What the queried coupon says of the redemption under {@code useRequestNo}. */
    public static Finding finding(QueriedCoupon coupon, String useRequestNo) {
        if ("USED".equals(coupon.state())) {
            if (coupon.useRequestNo() == null) {
                return Finding.INCONCLUSIVE;
            }
            return useRequestNo.equals(coupon.useRequestNo()) ? Finding.REDEEMED_BY_US : Finding.USED_BY_ANOTHER;
        }
        return UNUSED.contains(coupon.state()) ? Finding.NOT_USED : Finding.INCONCLUSIVE;
    }

    /**
     * The answer to a RESOURCE_ALREADY_EXISTS after the query found the coupon: an inconclusive finding leaves an
     * ambiguous redemption's outcome unknown, and an unambiguous one with WeChat's answer.
     */
    public static Answer afterAlreadyExists(Finding finding, boolean ambiguous) {
        return switch (finding) {
            case REDEEMED_BY_US -> Answer.SUCCESS;
            case USED_BY_ANOTHER -> Answer.ALREADY_USED;
            case NOT_USED -> Answer.RETRY;
            case INCONCLUSIVE -> ambiguous ? Answer.UNKNOWN : Answer.ALREADY_USED;
        };
    }

    /** The answer when the query gave no finding (budget, failures, time, refusal). */
    public static Answer withoutFinding(boolean ambiguous) {
        return ambiguous ? Answer.UNKNOWN : Answer.ALREADY_USED;
    }

    /**
     * The answer to store for a request whose outcome was left unknown (checked after the POS was answered): a
     * success or a final failure when the query says so; otherwise nothing is stored and the POS's resend, with the
     * same use_request_no, goes to WeChat Pay itself.
     */
    public static Answer afterUnknownOutcome(Finding finding) {
        return switch (finding) {
            case REDEEMED_BY_US -> Answer.SUCCESS;
            case USED_BY_ANOTHER -> Answer.ALREADY_USED;
            case NOT_USED, INCONCLUSIVE -> Answer.RETRY;
        };
    }
}
