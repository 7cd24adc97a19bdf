package io.payegress.filters.reconciliation;

import static io.payegress.filters.reconciliation.ReconciliationRules.Answer.ALREADY_USED;
import static io.payegress.filters.reconciliation.ReconciliationRules.Answer.RETRY;
import static io.payegress.filters.reconciliation.ReconciliationRules.Answer.SUCCESS;
import static io.payegress.filters.reconciliation.ReconciliationRules.Answer.UNKNOWN;
import static io.payegress.filters.reconciliation.ReconciliationRules.Finding.INCONCLUSIVE;
import static io.payegress.filters.reconciliation.ReconciliationRules.Finding.NOT_USED;
import static io.payegress.filters.reconciliation.ReconciliationRules.Finding.REDEEMED_BY_US;
import static io.payegress.filters.reconciliation.ReconciliationRules.Finding.USED_BY_ANOTHER;
import static io.payegress.filters.reconciliation.ReconciliationRules.OnAlreadyExists.FINAL;
import static io.payegress.filters.reconciliation.ReconciliationRules.OnAlreadyExists.QUERY;
import static io.payegress.filters.reconciliation.ReconciliationRules.OnAlreadyExists.UNKNOWN_WITHOUT_OPENID;
import static io.payegress.filters.reconciliation.ReconciliationRules.Verification.ALWAYS;
import static io.payegress.filters.reconciliation.ReconciliationRules.Verification.WHEN_AMBIGUOUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.payegress.filters.reconciliation.ReconciliationRules.Answer;
import io.payegress.filters.reconciliation.ReconciliationRules.Finding;
import io.payegress.filters.reconciliation.ReconciliationRules.OnAlreadyExists;
import io.payegress.filters.reconciliation.ReconciliationRules.Verification;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reconciliation's rules, one row per case: never a COUPON_ALREADY_USED or a success that is a guess. */
class ReconciliationRulesTest {

    private static final String OURS = "1002600620019090123143254435";

    static Stream<Arguments> alreadyExists() {
        return Stream.of(
                arguments("clean history: WeChat's answer stands", false, WHEN_AMBIGUOUS, true, FINAL),
                arguments("clean history, no openid: WeChat's answer stands", false, WHEN_AMBIGUOUS, false, FINAL),
                arguments("ambiguous: ask the query", true, WHEN_AMBIGUOUS, true, QUERY),
                arguments(
                        "ambiguous, no openid: unknown, never already used",
                        true,
                        WHEN_AMBIGUOUS,
                        false,
                        UNKNOWN_WITHOUT_OPENID),
                arguments("ALWAYS, clean history: ask the query", false, ALWAYS, true, QUERY),
                arguments("ALWAYS, clean, no openid: WeChat's answer stands", false, ALWAYS, false, FINAL),
                arguments("ALWAYS, ambiguous: ask the query", true, ALWAYS, true, QUERY),
                arguments("ALWAYS, ambiguous, no openid: unknown", true, ALWAYS, false, UNKNOWN_WITHOUT_OPENID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alreadyExists")
    void decidesWhetherToBelieveQueryOrGiveUp(
            String name, boolean ambiguous, Verification verification, boolean openid, OnAlreadyExists expected) {
        assertThat(ReconciliationRules.onAlreadyExists(ambiguous, verification, openid))
                .isEqualTo(expected);
    }

    static Stream<Arguments> findings() {
        return Stream.of(
                arguments("USED", OURS, REDEEMED_BY_US),
                arguments("USED", "another-order-0001", USED_BY_ANOTHER),
                arguments("USED", null, INCONCLUSIVE),
                arguments("SENDED", null, NOT_USED),
                arguments("EXPIRED", null, NOT_USED),
                arguments("DELETED", null, NOT_USED),
                arguments("DEACTIVATED", null, NOT_USED),
                arguments("SENDED", OURS, NOT_USED),
                arguments("FROZEN", null, INCONCLUSIVE),
                arguments("used", OURS, INCONCLUSIVE));
    }

    @ParameterizedTest(name = "{0} by {1}: {2}")
    @MethodSource("findings")
    void readsTheCouponStateAgainstOurUseRequestNo(String state, @Nullable String number, Finding expected) {
        QueriedCoupon coupon = new QueriedCoupon(state, number, "2026-01-02T11:04:05+08:00", "100088");
        assertThat(ReconciliationRules.finding(coupon, OURS)).isEqualTo(expected);
    }

    static Stream<Arguments> inlineAnswers() {
        return Stream.of(
                arguments(REDEEMED_BY_US, true, SUCCESS),
                arguments(REDEEMED_BY_US, false, SUCCESS),
                arguments(USED_BY_ANOTHER, true, ALREADY_USED),
                arguments(USED_BY_ANOTHER, false, ALREADY_USED),
                arguments(NOT_USED, true, RETRY),
                arguments(NOT_USED, false, RETRY),
                arguments(INCONCLUSIVE, true, UNKNOWN),
                arguments(INCONCLUSIVE, false, ALREADY_USED));
    }

    @ParameterizedTest(name = "{0}, ambiguous {1}: {2}")
    @MethodSource("inlineAnswers")
    void answersARedemptionWhoseAttemptWasRefusedAsAlreadyExisting(
            Finding finding, boolean ambiguous, Answer expected) {
        assertThat(ReconciliationRules.afterAlreadyExists(finding, ambiguous)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ambiguous {0}: {1}")
    @MethodSource
    void answersWhenTheQueryGaveNoFinding(boolean ambiguous, Answer expected) {
        assertThat(ReconciliationRules.withoutFinding(ambiguous)).isEqualTo(expected);
    }

    static Stream<Arguments> answersWhenTheQueryGaveNoFinding() {
        return Stream.of(arguments(true, UNKNOWN), arguments(false, ALREADY_USED));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource
    void storesOnlyWhatTheQueryProvesAfterAnUnknownOutcome(Finding finding, Answer expected) {
        assertThat(ReconciliationRules.afterUnknownOutcome(finding)).isEqualTo(expected);
    }

    static Stream<Arguments> storesOnlyWhatTheQueryProvesAfterAnUnknownOutcome() {
        return Stream.of(
                arguments(REDEEMED_BY_US, SUCCESS),
                arguments(USED_BY_ANOTHER, ALREADY_USED),
                arguments(NOT_USED, RETRY),
                arguments(INCONCLUSIVE, RETRY));
    }
}
