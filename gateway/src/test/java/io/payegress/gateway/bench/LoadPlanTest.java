package io.payegress.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadPlanTest {

    @Test
    void aStepChangesEachTenantsRateInProportionFromItsSecondOn() {
        LoadPlan plan = LoadPlan.parse(new String[] {"--rate=2500", "--tenants=20", "--step=60:400"});

        double tenantRate = plan.tenantRates().get("bench-01");
        assertThat(tenantRate).isEqualTo(125.0);
        assertThat(plan.offered(tenantRate, 60, true)).isCloseTo(7_500, within(1e-9));
        // 20/s per tenant after the step: 400/s over 20 tenants
        assertThat(plan.offered(tenantRate, 90, true)).isCloseTo(7_500 + 30 * 20, within(1e-9));
    }

    @Test
    void theWarmUpIgnoresTheStep() {
        LoadPlan plan = LoadPlan.parse(new String[] {"--rate=2500", "--tenants=20", "--step=60:400"});

        assertThat(plan.offered(125.0, 90, false)).isCloseTo(90 * 125.0, within(1e-9));
    }

    @Test
    void withoutAStepTheRateStays() {
        LoadPlan plan = LoadPlan.parse(new String[] {"--rate=400", "--tenants=20"});

        assertThat(plan.step()).isNull();
        assertThat(plan.offered(20.0, 90, true)).isCloseTo(1_800, within(1e-9));
    }
}
