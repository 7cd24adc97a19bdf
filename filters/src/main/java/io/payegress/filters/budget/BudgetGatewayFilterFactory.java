package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetSettings.RedisFailurePolicy;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code Budget} in route YAML: spends the shared upstream budget named by {@code name} (one per upstream API and
 * merchant), e.g. {@code - Budget=coupons-use, 500}, or with {@code args:} for max-wait, safety-margin, min-limit,
 * recovery-per-second and redis-failure.
 */
public final class BudgetGatewayFilterFactory extends AbstractGatewayFilterFactory<BudgetGatewayFilterFactory.Config> {

    private final BudgetLimiters limiters;

    public BudgetGatewayFilterFactory(BudgetLimiters limiters) {
        super(Config.class);
        this.limiters = limiters;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("name", "limit");
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new BudgetFilter(limiters.limiter(config.settings()));
    }

    /** The route's arguments, bound by the gateway; turned into {@link BudgetSettings} once. */
    public static final class Config {

        private String name = "default";
        private int limit = 500;
        private Duration maxWait = Duration.ofMillis(250);
        private Duration safetyMargin = Duration.ofMillis(20);
        private int minLimit = 0;
        private double recoveryPerSecond = 0;
        private RedisFailurePolicy redisFailure = RedisFailurePolicy.DEGRADE_TO_SHARE;
        private Duration lead = BudgetSettings.DEFAULT_LEAD;
        private @Nullable Duration lateTolerance;

        BudgetSettings settings() {
            BudgetSettings defaults = BudgetSettings.defaults(name, limit);
            return new BudgetSettings(
                    name,
                    limit,
                    maxWait,
                    safetyMargin,
                    minLimit > 0 ? minLimit : defaults.minLimit(),
                    recoveryPerSecond > 0 ? recoveryPerSecond : defaults.recoveryPerSecond(),
                    defaults.decreaseFactor(),
                    defaults.horizon(),
                    defaults.dispatchInterval(),
                    defaults.heartbeat(),
                    redisFailure,
                    lead,
                    lateTolerance != null ? lateTolerance : BudgetSettings.defaultLateTolerance(safetyMargin));
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getLimit() {
            return limit;
        }

        public void setLimit(int limit) {
            this.limit = limit;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public Duration getSafetyMargin() {
            return safetyMargin;
        }

        public void setSafetyMargin(Duration safetyMargin) {
            this.safetyMargin = safetyMargin;
        }

        public int getMinLimit() {
            return minLimit;
        }

        public void setMinLimit(int minLimit) {
            this.minLimit = minLimit;
        }

        public double getRecoveryPerSecond() {
            return recoveryPerSecond;
        }

        public void setRecoveryPerSecond(double recoveryPerSecond) {
            this.recoveryPerSecond = recoveryPerSecond;
        }

        public @Nullable Duration getLateTolerance() {
            return lateTolerance;
        }

        public void setLateTolerance(@Nullable Duration lateTolerance) {
            this.lateTolerance = lateTolerance;
        }

        public Duration getLead() {
            return lead;
        }

        public void setLead(Duration lead) {
            this.lead = lead;
        }

        public RedisFailurePolicy getRedisFailure() {
            return redisFailure;
        }

        public void setRedisFailure(RedisFailurePolicy redisFailure) {
            this.redisFailure = redisFailure;
        }
    }
}
