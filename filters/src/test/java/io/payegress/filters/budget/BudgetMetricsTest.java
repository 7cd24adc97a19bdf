package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.budget.BudgetMetrics.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BudgetMetrics metrics = new BudgetMetrics(meters);

    @Test
    void keepsOneCounterPerRouteTenantAndOutcomeAndOneWaitTimerPerRoute() {
        metrics.count("coupons-use", "a", Outcome.SHED);
        metrics.count("coupons-use", "a", Outcome.SHED);
        metrics.count("coupons-use", "b", Outcome.SHED);
        metrics.decision("coupons-use", "a", Outcome.WAITED, Duration.ofMillis(5));
        metrics.decision("coupons-query", "a", Outcome.WAITED, Duration.ofMillis(7));

        assertThat(decisions("coupons-use", "a", "shed")).isEqualTo(2);
        assertThat(decisions("coupons-use", "b", "shed")).isEqualTo(1);
        assertThat(decisions("coupons-use", "a", "waited")).isEqualTo(1);
        assertThat(decisions("coupons-query", "a", "waited")).isEqualTo(1);
        assertThat(meters.get("payegress.budget.decisions").counters()).hasSize(4);
        assertThat(meters.get("payegress.budget.wait")
                        .tag("route", "coupons-use")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("payegress.budget.wait")
                        .tag("route", "coupons-query")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(7);
    }

    private double decisions(String route, String tenant, String outcome) {
        return meters.get("payegress.budget.decisions")
                .tags("route", route, "tenant", tenant, "outcome", outcome)
                .counter()
                .count();
    }
}
