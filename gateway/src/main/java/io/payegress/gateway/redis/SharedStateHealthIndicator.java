package io.payegress.gateway.redis;

import io.payegress.filters.budget.BudgetHealth;
import io.payegress.filters.budget.BudgetLimiters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/sharedState}: each budget's mode (shared through Redis, or degraded to this replica's
 * share), effective limit, live replicas and queue. Always UP: a degraded budget keeps serving safely, so it
 * must not take the replica out of rotation; it is reported here and alerted on through metrics.
 */
@Component("sharedState")
public class SharedStateHealthIndicator implements HealthIndicator {

    private final BudgetLimiters budgets;
    private final StateProperties state;

    public SharedStateHealthIndicator(BudgetLimiters budgets, StateProperties state) {
        this.budgets = budgets;
        this.state = state;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", state.store().name());
        for (BudgetHealth budget : budgets.health()) {
            details.put(
                    "budget." + budget.budget(),
                    Map.of(
                            "mode", budget.mode().name(),
                            "effectiveLimit", budget.effectiveLimit(),
                            "liveReplicas", budget.liveReplicas(),
                            "waiting", budget.waiting(),
                            "degradations", budget.degradations()));
        }
        return Health.up().withDetails(details).build();
    }
}
