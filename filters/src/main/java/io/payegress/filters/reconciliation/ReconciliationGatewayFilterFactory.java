package io.payegress.filters.reconciliation;

import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML {@code Reconciliation}: checks with WeChat Pay's coupon query the RESOURCE_ALREADY_EXISTS answers of ambiguous
 * redemptions (or, with {@code verification: ALWAYS}, of every redemption that carries an openid).
 */
public final class ReconciliationGatewayFilterFactory
        extends AbstractGatewayFilterFactory<ReconciliationGatewayFilterFactory.Config> {

    private final CouponQuery queries;
    private final ReconciliationMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final ReconciliationRules.Verification verification;

    public ReconciliationGatewayFilterFactory(
            CouponQuery queries,
            ReconciliationMetrics metrics,
            JsonMapper json,
            Clock clock,
            ReconciliationRules.Verification verification) {
        super(Config.class);
        this.queries = queries;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.verification = verification;
    }

    @Override
    public GatewayFilter apply(Config config) {
        ReconciliationRules.Verification chosen =
                config.getVerification() == null ? verification : config.getVerification();
        return new ReconciliationFilter(queries, chosen, metrics, json, clock);
    }

    /** Route settings: verification (default: payegress.reconciliation.verification). */
    public static final class Config {
        private ReconciliationRules.@Nullable Verification verification;

        public ReconciliationRules.@Nullable Verification getVerification() {
            return verification;
        }

        public void setVerification(ReconciliationRules.@Nullable Verification verification) {
            this.verification = verification;
        }
    }
}
