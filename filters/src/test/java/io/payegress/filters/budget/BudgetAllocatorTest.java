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
    void aReplicaThatStopsCallingStopsReservingItsBacklogAfterTheDemandTtlButItsShareIsHeldUntilTheHoldEnds() {
        allocator.allocate(0, call("r1", new Demand("a", 100, 1, -1)));
        allocator.allocate(1, call("r2", new Demand("b", 100, 1, -1)));

        long later = WINDOW + Math.max(SETTINGS.demandTtlMicros(), SETTINGS.replicaTtlMicros()) + 10;
        Allocation withHeld = allocator.allocate(later, call("r1", new Demand("a", 100, 1, -1)));
        long afterHold = later + SETTINGS.holdMicros();
        Allocation afterwards = allocator.allocate(afterHold, call("r1", new Demand("a", 100, 1, -1)));

        assertThat(withHeld.limit())
                .as("r2 may be degraded, granting its half locally")
                .isEqualTo(20);
        assertThat(granted(withHeld)).isEqualTo(20);
        assertThat(withHeld.members()).isEqualTo(2);
        assertThat(afterwards.limit()).isEqualTo(40);
        assertThat(afterwards.members()).isEqualTo(1);
    }

    /** r1, r2 and r3 call twice: each last answer says three are live, a share of 13 each. */
    private void threeReplicasSeeEachOther() {
        for (int round = 0; round < 2; round++) {
            for (String replica : List.of("r1", "r2", "r3")) {
                allocator.allocate(0, call(replica));
            }
        }
    }

    @Test
    void aReplicaHeldForIsReleasedWhenItCallsAgainAndOneThatLeavesIsNotHeld() {
        threeReplicasSeeEachOther();
        long later = SETTINGS.replicaTtlMicros() + 1;
        assertThat(allocator.allocate(later, call("r1")).limit()).isEqualTo(40 - 13 - 13);

        allocator.allocate(later, call("r2"));
        allocator.allocate(later, new Request("r3", List.of(), Fence.LEAVING));

        Allocation r1 = allocator.allocate(later, call("r1"));
        assertThat(r1.limit()).isEqualTo(40);
        assertThat(r1.liveReplicas()).isEqualTo(2);
        assertThat(r1.members()).isEqualTo(2);
    }

    @Test
    void sharesAreTheLimitLessWhatIsHeldOverTheLiveReplicasSoThatTheyNeverAddUpToMoreThanTheLimit() {
        threeReplicasSeeEachOther();
        long later = SETTINGS.replicaTtlMicros() + 1;
        allocator.allocate(later, call("r1"));
        Allocation r2 = allocator.allocate(later, call("r2"));

        assertThat(r2.limit()).isEqualTo(40 - 13);
        assertThat(r2.degradedShare()).isEqualTo(13);
        long evenLater = later + SETTINGS.replicaTtlMicros() + 1;
        assertThat(allocator.allocate(evenLater, call("r1")).limit())
                .as("r2 and r3 held: 13 each")
                .isEqualTo(40 - 13 - 13);
    }

    @Test
    void aDegradedReturnToAStoreThatLostItsStateHoldsTheSharesOfTheMembersItDoesNotKnowUntilTheyComeBack() {
        BudgetAllocator fresh = new BudgetAllocator(SETTINGS, 40, 4, 0, 0);
        Request r1Back = Request.probe("r1", 0, 3, 13);

        assertThat(fresh.allocate(0, r1Back).limit()).isEqualTo(40 - 2 * 13);
        assertThat(fresh.allocate(1, call("r1")).limit()).isEqualTo(40 - 2 * 13);
        assertThat(fresh.allocate(1, call("r2")).limit()).isEqualTo(40 - 13);
        assertThat(fresh.allocate(2, call("r3")).limit()).isEqualTo(40);
        BudgetAllocator another = new BudgetAllocator(SETTINGS, 40, 4, 0, 0);
        another.allocate(0, r1Back);
        assertThat(another.allocate(SETTINGS.holdMicros(), call("r1")).limit())
                .as("after the hold")
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
