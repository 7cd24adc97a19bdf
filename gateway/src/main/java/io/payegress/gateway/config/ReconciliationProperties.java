package io.payegress.gateway.config;

import io.payegress.filters.budget.BudgetSettings;
import io.payegress.filters.reconciliation.QuerySettings;
import io.payegress.filters.reconciliation.ReconciliationRules.Verification;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payegress.reconciliation.*}: how ambiguous redemptions are settled with WeChat Pay's coupon query.
 *
 * @param verification which RESOURCE_ALREADY_EXISTS answers are checked: WHEN_AMBIGUOUS (an earlier attempt with the
 *     use_request_no may have redeemed the coupon) or ALWAYS (every one with an openid)
 * @param doubtAfterStoreFailure for this long after this replica's dedupe store (Redis) failed, no claim's history is
 *     trusted to show every earlier attempt (attempts were made under local claims, and a restarted Redis may have lost
 *     records): every redemption counts as ambiguous
 * @param maxPending how many late checks of unknown outcomes may run at once on one replica; more are dropped
 *     (counted) and their claims released
 * @param query the coupon query's own budget, timeouts and retries
 */
@Validated
@ConfigurationProperties("payegress.reconciliation")
public record ReconciliationProperties(
        @DefaultValue("WHEN_AMBIGUOUS") Verification verification,
        @DefaultValue("10m") Duration doubtAfterStoreFailure,
        @DefaultValue("1000") @Min(0) int maxPending,
        @DefaultValue @Valid Query query) {

    /**
     * The coupon query.
     *
     * @param budget the name of its shared budget (its Redis key), apart from coupons/use's
     * @param limit calls per second WeChat allows the query, shared by all replicas and tenants
     * @param maxWait how long a query may wait for a grant (never past the request's deadline)
     * @param safetyMargin added to the budget's one-second window to absorb jitter
     * @param lead how long before its slot a grant reaches its query
     * @param lateTolerance how late after its slot a query may still leave (at most the safety margin)
     * @param connectTimeout per attempt
     * @param responseTimeout per attempt
     * @param maxAttempts attempts per query (transient failures: 5xx, SYSTEM_ERROR, 429, transport, bad signature)
     * @param firstBackoff the backoff before the second attempt, doubling up to maxBackoff
     * @param maxBackoff the longest backoff
     */
    public record Query(
            @DefaultValue("coupons-query") String budget,
            @DefaultValue("100") @Min(1) int limit,
            @DefaultValue("1s") Duration maxWait,
            @DefaultValue("100ms") Duration safetyMargin,
            @DefaultValue("50ms") Duration lead,
            @Nullable Duration lateTolerance,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("3s") Duration responseTimeout,
            @DefaultValue("3") @Min(1) int maxAttempts,
            @DefaultValue("100ms") Duration firstBackoff,
            @DefaultValue("1s") Duration maxBackoff) {

        /** The query budget's settings: coupons/use's defaults with this limit and timing. */
        public BudgetSettings budgetSettings() {
            BudgetSettings defaults = BudgetSettings.defaults(budget, limit);
            return new BudgetSettings(
                    budget,
                    limit,
                    maxWait,
                    safetyMargin,
                    defaults.minLimit(),
                    defaults.recoveryPerSecond(),
                    defaults.decreaseFactor(),
                    defaults.horizon(),
                    defaults.dispatchInterval(),
                    defaults.heartbeat(),
                    BudgetSettings.RedisFailurePolicy.DEGRADE_TO_SHARE,
                    lead,
                    lateTolerance != null ? lateTolerance : BudgetSettings.defaultLateTolerance(safetyMargin));
        }

        public QuerySettings settings(String userAgent, @Nullable String wechatpaySerial) {
            String serial = wechatpaySerial == null || wechatpaySerial.isBlank() ? null : wechatpaySerial;
            return new QuerySettings(
                    connectTimeout, responseTimeout, maxAttempts, firstBackoff, maxBackoff, userAgent, serial);
        }
    }
}
