package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios that need time travel, on the Java twin of the script (the contract test covers both). */
class BudgetAllocatorTest {

    private static final BudgetSettings SETTINGS = BudgetSettings.defaults("coupons-use", 40);
    private static final long WINDOW = SETTINGS.windowMicros();

    private final BudgetAllocator allocator = new BudgetAllocator(SETTINGS, 40, 4, 0, 0);

    private static Request call(String replica, Demand... demands) {
        return new Request(replica, List.of(demands), Fence.NONE);
    }

    private static long granted(Allocation allocation) {
        return allocation.grants().size();
    }

    @Test
    void aTenantWaitingAtAnotherReplicaKeepsItsShare() {
        assertThat(granted(allocator.allocate(0, call("r1", new Demand("a", 100, 1, -1)))))
                .isEqualTo(40);
        long horizon = SETTINGS.horizonMicros();
        assertThat(granted(allocator.allocate(WINDOW - horizon - 5_000, call("r2", new Demand("b", 100, 1, -1)))))
                .isZero();

        Allocation first = allocator.allocate(WINDOW - 2_000, call("r1", new Demand("a", 60, 1, -1)));
        Allocation second = allocator.allocate(WINDOW - 1_000, call("r2", new Demand("b", 100, 1, -1)));

        assertThat(first.grants())
                .hasSize(20)
                .allSatisfy(g -> assertThat(g.delayMicros()).isEqualTo(2_000));
        assertThat(second.grants())
                .hasSize(20)
                .allSatisfy(g -> assertThat(g.delayMicros()).isEqualTo(1_000));
        assertThat(granted(allocator.allocate(WINDOW + 10, call("r1", new Demand("a", 40, 1, -1)))))
                .isZero();
    }

    @Test
    void aReplicaThatStopsCallingStopsReservingAfterTheDemandTtl() {
        allocator.allocate(0, call("r1", new Demand("a", 100, 1, -1)));
        allocator.allocate(1, call("r2", new Demand("b", 100, 1, -1)));

        long later = WINDOW + SETTINGS.demandTtlMicros() + 10;
        assertThat(granted(allocator.allocate(later, call("r1", new Demand("a", 100, 1, -1)))))
                .isEqualTo(40);
    }

    @Test
    void grantsFreedSlotsOneWindowAfterTheOldGrantsAndSaysWhenTheNextFrees() {
        allocator.allocate(0, call("r1", new Demand("a", 30, 1, -1)));
        Allocation full = allocator.allocate(500_000, call("r1", new Demand("a", 30, 1, -1)));

        assertThat(granted(full)).isEqualTo(10);
        assertThat(full.nextSlotMicros()).isEqualTo(WINDOW - 500_000);
        Allocation freed = allocator.allocate(WINDOW - 10_000, call("r1", new Demand("a", 20, 1, -1)));
        assertThat(freed.grants())
                .hasSize(20)
                .allSatisfy(g -> assertThat(g.delayMicros()).isEqualTo(10_000));
    }

    @Test
    void interleavesTheCallersTenantsByWeightedVirtualTime() {
        Allocation allocation = allocator.allocate(0, call("r1", new Demand("a", 3, 1, -1), new Demand("b", 6, 2, -1)));

        assertThat(allocation.grants().stream().map(g -> g.demand()).toList())
                .containsExactly(1, 0, 1, 1, 0, 1, 1, 0, 1);
    }

    @Test
    void throttlingShrinksTheLimitTheNextCallsSee() {
        allocator.throttled(0);

        assertThat(allocator.allocate(0, call("r1")).limit()).isEqualTo(36);
        assertThat(granted(allocator.allocate(1, call("r1", new Demand("a", 100, 1, -1)))))
                .isEqualTo(36);
    }

    @Test
    void aReplicaBackFromDegradedModeHasItsLocalGrantsCountedInsteadOfPausingEveryone() {
        allocator.allocate(0, call("r2"));
        Allocation back =
                allocator.allocate(0, new Request("r1", List.of(new Demand("a", 5, 1, -1)), Fence.DEGRADED_RETURN, 20));

        assertThat(back.grants()).hasSize(5);
        assertThat(granted(allocator.allocate(1, call("r2", new Demand("b", 100, 1, -1)))))
                .isEqualTo(40 - 20 - 5);
    }

    @Test
    void countsLiveReplicasByTheirRecentCalls() {
        allocator.allocate(0, call("r1"));
        allocator.allocate(0, call("r2"));
        assertThat(allocator.allocate(0, call("r3")).liveReplicas()).isEqualTo(3);

        long later = SETTINGS.replicaTtlMicros() + 1;
        assertThat(allocator.allocate(later, call("r3")).liveReplicas()).isEqualTo(1);
        assertThat(Duration.ofNanos(SETTINGS.replicaTtlMicros() * 1000)).isEqualTo(Duration.ofSeconds(1));
    }
}
