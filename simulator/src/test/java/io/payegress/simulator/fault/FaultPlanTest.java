package io.payegress.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static final String USE = "/v3/marketing/busifavor/coupons/use";

    @Test
    void takesOneLatencyAndOneAnsweringFaultPerCallInOrderAdded() {
        FaultPlan plan = new FaultPlan(1L)
                .add(FaultSpec.latency(200, 1))
                .add(FaultSpec.next(1, FaultType.HTML_502, FaultPhase.BEFORE))
                .add(FaultSpec.next(1, FaultType.EMPTY_503, FaultPhase.AFTER));

        FaultPlan.Selection first = plan.take(USE);
        FaultPlan.Selection second = plan.take(USE);
        FaultPlan.Selection third = plan.take(USE);

        assertThat(first.latencyMs()).isEqualTo(200);
        assertThat(first.answer().type()).isEqualTo(FaultType.HTML_502);
        assertThat(second.latencyMs()).isZero();
        assertThat(second.answer().type()).isEqualTo(FaultType.EMPTY_503);
        assertThat(third).isEqualTo(FaultPlan.Selection.NONE);
    }

    @Test
    void untilClearedStaysArmedAndReportsItsCount() {
        FaultPlan plan = new FaultPlan(1L).add(FaultSpec.untilCleared(FaultType.UNSIGNED_2XX, FaultPhase.AFTER));

        for (int i = 0; i < 5; i++) {
            assertThat(plan.take(USE).answer().type()).isEqualTo(FaultType.UNSIGNED_2XX);
        }

        assertThat(plan.active()).singleElement().extracting(FaultSpec::count).isEqualTo(FaultSpec.UNTIL_CLEARED);
        plan.clear();
        assertThat(plan.take(USE).answer()).isNull();
    }

    @Test
    void pathFilterLeavesOtherPathsAlone() {
        FaultPlan plan = new FaultPlan(1L)
                .add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath("/other"));

        assertThat(plan.take(USE).answer()).isNull();
        assertThat(plan.take("/other").answer()).isNotNull();
    }

    @Test
    void zeroCountIsRefused() {
        assertThatThrownBy(() -> FaultSpec.next(0, FaultType.HTML_502, FaultPhase.BEFORE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
