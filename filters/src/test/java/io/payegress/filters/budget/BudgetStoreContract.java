package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Count;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Departed;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Grant;
import io.payegress.filters.budget.BudgetStore.Refund;
import io.payegress.filters.budget.BudgetStore.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every budget store has, the Redis script and its in-memory twin alike. The window is 10 s so that
 * nothing here depends on how fast the machine is.
 */
abstract class BudgetStoreContract {

    static final BudgetSettings SETTINGS = new BudgetSettings(
            "coupons-use",
            40,
            Duration.ofMillis(250),
            Duration.ofSeconds(9),
            4,
            1,
            0.5,
            Duration.ofMillis(25),
            Duration.ofMillis(10),
            Duration.ofSeconds(5),
            BudgetSettings.RedisFailurePolicy.DEGRADE_TO_SHARE,
            Duration.ZERO,
            Duration.ZERO);

    /** A fresh store with {@link #SETTINGS}. */
    abstract BudgetStore store();

    private Allocation call(BudgetStore store, String replica, Fence fence, Demand... demands) {
        Allocation allocation =
                store.allocate(new Request(replica, List.of(demands), fence)).block();
        assertThat(allocation).isNotNull();
        return allocation;
    }

    private static long grantsFor(Allocation allocation, int demand) {
        return allocation.grants().stream().filter(g -> g.demand() == demand).count();
    }

    @Test
    void grantsUpToTheLimitAtOnceThenSaysTheNextSlotIsAboutAWindowAway() {
        BudgetStore store = store();

        Allocation allocation = call(store, "r1", Fence.NONE, new Demand("a", 50, 1, -1));

        assertThat(allocation.grants())
                .hasSize(40)
                .allSatisfy(g -> assertThat(g.delayMicros()).isZero());
        assertThat(allocation.limit()).isEqualTo(40);
        assertThat(allocation.nextSlotMicros()).isGreaterThan(9_000_000);
        assertThat(call(store, "r2", Fence.NONE, new Demand("b", 5, 1, -1)).grants())
                .isEmpty();
    }

    @Test
    void grantsGivenBackUnusedStopCountingAndLeaveRoomForOthers() {
        BudgetStore store = store();
        Allocation first = call(store, "r1", Fence.NONE, new Demand("a", 40, 1, -1));
        assertThat(first.grants()).hasSize(40);
        List<Refund> unused =
                first.grants().stream().limit(15).map(g -> new Refund(g.id())).toList();

        Allocation after = store.allocate(new Request("r1", List.of(new Demand("b", 20, 1, -1)), Fence.NONE, 0, unused))
                .block();

        assertThat(after).isNotNull();
        assertThat(after.grants())
                .as("the 15 grants given back no longer count against the limit of 40")
                .hasSize(15);
        assertThat(call(store, "r2", Fence.NONE, new Demand("c", 5, 1, -1)).grants())
                .as("and the limit is full again")
                .isEmpty();
    }

    @Test
    void aCallWithALeadGetsSlotsNoEarlierThanTheLeadAfterTheStoresNow() {
        Allocation allocation = store().allocate(
                        new Request("r1", List.of(new Demand("a", 5, 1, -1)), Fence.NONE, 0, List.of(), 20_000))
                .block();

        assertThat(allocation).isNotNull();
        assertThat(allocation.grants())
                .hasSize(5)
                .allSatisfy(g -> assertThat(g.delayMicros()).isEqualTo(20_000));
    }

    @Test
    void aRefundMatchingNoGrantFreesNothing() {
        BudgetStore store = store();
        Allocation first = call(store, "r1", Fence.NONE, new Demand("a", 40, 1, -1));
        Refund one = new Refund(first.grants().get(0).id());
        Refund unknown = new Refund(first.grants().get(0).id() + "x");
        Refund twice = new Refund(first.grants().get(0).id());

        Allocation after = store.allocate(new Request(
                        "r1", List.of(new Demand("b", 5, 1, -1)), Fence.NONE, 0, List.of(one, unknown, twice)))
                .block();

        assertThat(after).isNotNull();
        assertThat(after.grants())
                .as("a refund takes out the one grant it names; one naming no grant (or one gone) frees nothing")
                .hasSize(1);
    }

    @Test
    void grantsHaveDistinctIdsEvenAtOneSlotForOneTenant() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 40, 1, -1));

        assertThat(allocation.grants()).extracting(Grant::id).doesNotHaveDuplicates();
    }

    @Test
    void aLongerReachKeepsGrantsCountingLongerSoTheNextSlotsComeLater() {
        BudgetStore store = store();
        long window = SETTINGS.windowMicros();
        Allocation first = store.allocate(new Request(
                        "r1",
                        List.of(new Demand("a", 40, 1, -1)),
                        Fence.NONE,
                        0,
                        List.of(),
                        0,
                        window + 500_000,
                        List.of()))
                .block();

        assertThat(first).isNotNull();
        assertThat(first.grants()).hasSize(40);
        assertThat(first.nextSlotMicros())
                .as("a full limit of grants that each count for the window plus half a second")
                .isEqualTo(-1);
        Allocation second = call(store, "r2", Fence.NONE, new Demand("b", 1, 1, -1));
        assertThat(second.grants()).isEmpty();
        assertThat(second.nextSlotMicros())
                .as("frees when the first grants stop counting: their slot plus their reach")
                .isGreaterThanOrEqualTo(window + 500_000 - (second.clockMicros() - first.clockMicros()));
    }

    @Test
    void aReportedDepartureShortensAGrantsTimeInTheLogButNeverLengthensIt() {
        BudgetStore store = store();
        long window = SETTINGS.windowMicros();
        Allocation first = store.allocate(new Request(
                        "r1",
                        List.of(new Demand("a", 40, 1, -1)),
                        Fence.NONE,
                        0,
                        List.of(),
                        0,
                        window + 5_000_000,
                        List.of()))
                .block();
        assertThat(first).isNotNull();
        long now = first.clockMicros();
        List<Departed> departures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Grant g = first.grants().get(i);
            departures.add(Departed.leaving(g.id(), i < 10 ? now : now + 60_000_000));
        }

        Allocation after = store.allocate(new Request(
                        "r1", List.of(new Demand("b", 20, 1, -1)), Fence.NONE, 0, List.of(), 0, 0, departures))
                .block();

        assertThat(after).isNotNull();
        assertThat(after.grants())
                .as("10 departures reported as counting until now free their places; 30 reported later keep theirs")
                .hasSize(10);
        assertThat(after.nextSlotMicros())
                .as("and the 30 still stop counting at their slot plus their reach, not 60 s later")
                .isLessThanOrEqualTo(window + 5_000_000);
    }

    @Test
    void anAnswerSetsAGrantsTimeInTheLogEvenAfterItLeftTheLogAndAFailureOnlyLengthensIt() {
        BudgetStore store = store();
        long window = SETTINGS.windowMicros();
        Allocation first = store.allocate(new Request(
                        "r1", List.of(new Demand("a", 40, 1, -1)), Fence.NONE, 0, List.of(), 0, window, List.of()))
                .block();
        assertThat(first).isNotNull();
        long left = first.clockMicros();
        List<Departed> departures = new ArrayList<>();
        first.grants().forEach(g -> departures.add(Departed.leaving(g.id(), left)));
        Allocation second = store.allocate(
                        new Request("r1", List.of(), Fence.NONE, 0, List.of(), 0, window, departures))
                .block();
        assertThat(second).isNotNull();
        long later = second.clockMicros() + 60_000_000;
        List<Departed> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = first.grants().get(i).id();
            outcomes.add(
                    i < 10
                            ? new Departed(id, later, Count.EXACTLY)
                            : new Departed(id, i < 15 ? left : later, Count.AT_LEAST));
        }

        Allocation third = store.allocate(new Request(
                        "r1", List.of(new Demand("a", 40, 1, -1)), Fence.NONE, 0, List.of(), 0, window, outcomes))
                .block();

        assertThat(third).isNotNull();
        assertThat(third.grants())
                .as("10 answers and 5 failures counting a minute past now take places again, even out of the log;"
                        + " 5 failures already past take none")
                .hasSize(25);
    }

    @Test
    void reportsNoNextSlotWhenEverythingWasGranted() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 5, 1, -1));

        assertThat(allocation.grants()).hasSize(5);
        assertThat(allocation.nextSlotMicros()).isNegative();
    }

    @Test
    void splitsTheLimitByWeightUnderContention() {
        Allocation allocation =
                call(store(), "r1", Fence.NONE, new Demand("a", 100, 1, -1), new Demand("b", 100, 3, -1));

        assertThat(grantsFor(allocation, 0)).isEqualTo(10);
        assertThat(grantsFor(allocation, 1)).isEqualTo(30);
    }

    @Test
    void aTenantAskingLessThanItsShareGetsAllOfIt() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE, new Demand("noisy", 30, 1, -1));

        Allocation allocation =
                call(store, "r2", Fence.NONE, new Demand("quiet", 5, 1, -1), new Demand("noisy", 100, 1, -1));

        assertThat(grantsFor(allocation, 0)).isEqualTo(5);
        assertThat(grantsFor(allocation, 1)).isEqualTo(5);
    }

    @Test
    void saysWhichTenantsOfferMoreThanTheirShareOfTheLimitOverAllReplicas() {
        BudgetStore store = store();
        Allocation first = call(store, "r1", Fence.NONE, new Demand("noisy", 10, 1, -1, 30));
        assertThat(first.overShare()).as("30/s alone fits the limit of 40").isEmpty();

        // over both replicas the noisy tenant offers 45/s; the quiet one's 5/s is within its share, the noisy one's
        // share is the rest, 35/s
        Allocation second =
                call(store, "r2", Fence.NONE, new Demand("quiet", 1, 1, -1, 5), new Demand("noisy", 1, 1, -1, 15));

        assertThat(second.overShare()).containsExactly("noisy");
    }

    @Test
    void aBacklogTheWindowCannotHoldIsNotOverTheShareWhileWhatTheTenantOffersFitsTheLimit() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 100, 1, -1, 20));

        assertThat(allocation.grants()).hasSize(40);
        assertThat(allocation.nextSlotMicros()).as("backlog left waiting").isNotNegative();
        assertThat(allocation.overShare()).isEmpty();
    }

    @Test
    void aReplicaThatOffersWithNothingWaitingStillCountsTowardsItsTenantsRate() {
        BudgetStore store = store();
        Allocation idle = call(store, "r1", Fence.NONE, new Demand("a", 0, 1, -1, 30));
        assertThat(idle.grants()).isEmpty();
        assertThat(idle.nextSlotMicros()).isNegative();

        Allocation busy = call(store, "r2", Fence.NONE, new Demand("a", 5, 1, -1, 15));

        assertThat(busy.grants()).hasSize(5);
        assertThat(busy.overShare()).as("45/s over both replicas").containsExactly("a");
    }

    @Test
    void aReplicasReportReplacesItsPreviousOneWhole() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE, new Demand("a", 0, 1, -1, 30), new Demand("b", 0, 1, -1, 5));
        Allocation named = call(store, "r2", Fence.NONE, new Demand("a", 1, 1, -1, 15));
        assertThat(named.overShare()).as("45/s over both replicas").containsExactly("a");

        // r1 no longer names tenant a: what it reported for it before counts no more
        call(store, "r1", Fence.NONE, new Demand("b", 0, 1, -1, 5));
        Allocation alone = call(store, "r2", Fence.NONE, new Demand("a", 1, 1, -1, 15));

        assertThat(alone.overShare()).isEmpty();
    }

    @Test
    void aTenantOfferingMoreThanItsCapIsOverItsShareWhateverTheLimitLeaves() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 20, 1, 6, 10));

        assertThat(allocation.overShare()).containsExactly("a");
    }

    @Test
    void aCapBoundsATenantEvenWhenBudgetIsLeft() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 20, 1, 6));

        assertThat(allocation.grants()).hasSize(6);
        assertThat(allocation.nextSlotMicros()).isNotNegative();
    }

    @Test
    void throttlingShrinksTheEffectiveLimitOncePerWindow() {
        BudgetStore store = store();

        assertThat(store.throttled().block()).isEqualTo(20.0);
        assertThat(store.throttled().block()).isBetween(20.0, 21.0);
        Allocation allocation = call(store, "r1", Fence.NONE, new Demand("a", 100, 1, -1));
        assertThat(allocation.limit()).isBetween(20, 21);
        assertThat(allocation.grants().size()).isBetween(20, 21);
    }

    @Test
    void aReplicaBackFromDegradedModeToAStoreThatLostItsStatePausesEveryoneForAWindow() {
        BudgetStore store = store();

        Allocation back = call(store, "r1", Fence.DEGRADED_RETURN, new Demand("a", 5, 1, -1));

        assertThat(back.grants()).isEmpty();
        assertThat(back.nextSlotMicros()).isGreaterThan(9_000_000);
        assertThat(call(store, "r2", Fence.NONE, new Demand("b", 5, 1, -1)).grants())
                .isEmpty();
    }

    @Test
    void aReplicaBackFromDegradedModeCarriesItsLocalGrantsIntoTheLogInsteadOfPausingEveryone() {
        BudgetStore store = store();
        call(store, "r2", Fence.NONE);

        Allocation back = store.allocate(
                        new Request("r1", List.of(new Demand("a", 5, 1, -1)), Fence.DEGRADED_RETURN, 30))
                .block();

        assertThat(back).isNotNull();
        assertThat(back.grants()).hasSize(5);
        assertThat(call(store, "r2", Fence.NONE, new Demand("b", 100, 1, -1)).grants())
                .hasSize(40 - 30 - 5);
    }

    @Test
    void aDegradedReturnToAStoreThatLostItsStateHoldsTheSharesOfTheReplicasItDoesNotKnowUntilTheyCall() {
        BudgetStore store = store();
        Request back = Request.probe("r1", 0, 3, 13);

        Allocation first = store.allocate(back).block();
        Allocation shared = call(store, "r1", Fence.NONE);
        Allocation second = call(store, "r2", Fence.NONE);
        Allocation third = call(store, "r3", Fence.NONE);

        assertThat(first).isNotNull();
        assertThat(first.limit()).isEqualTo(40 - 2 * 13);
        assertThat(first.members()).isEqualTo(1);
        assertThat(shared.limit()).isEqualTo(40 - 2 * 13);
        assertThat(second.limit()).isEqualTo(40 - 13);
        assertThat(third.limit()).isEqualTo(40);
        assertThat(third.members()).isEqualTo(3);
    }

    @Test
    void aDegradedReplicasProbeKeepsItsShareHeldUntilItCallsInSharedMode() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE);
        Request probe = Request.probe("r2", 0, 2, 20);

        store.allocate(probe).block();
        Allocation whileProbing = call(store, "r1", Fence.NONE);
        call(store, "r2", Fence.NONE);
        Allocation afterwards = call(store, "r1", Fence.NONE);

        assertThat(whileProbing.limit())
                .as("the probe's answer may never reach r2, which then grants its 20 locally")
                .isEqualTo(40 - 20);
        assertThat(afterwards.limit()).isEqualTo(40);
    }

    @Test
    void whetherATenantOffersMoreThanItsShareIsJudgedAgainstTheWholeLimitNotTheLimitLessTheSharesHeld() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE);
        store.allocate(Request.probe("r2", 0, 2, 20)).block();

        Allocation held = call(store, "r1", Fence.NONE, new Demand("a", 1, 1, -1, 30));

        assertThat(held.limit()).isEqualTo(40 - 20);
        assertThat(held.overShare())
                .as("30/s fits the limit of 40 if r2 is only slow")
                .isEmpty();
    }

    @Test
    void aReplicaThatLeavesIsNeitherLiveNorAMember() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE);
        call(store, "r2", Fence.NONE);

        call(store, "r2", Fence.LEAVING);
        Allocation after = call(store, "r1", Fence.NONE);

        assertThat(after.liveReplicas()).isEqualTo(1);
        assertThat(after.members()).isEqualTo(1);
        assertThat(after.limit()).isEqualTo(40);
    }

    @Test
    void countsTheLiveReplicas() {
        BudgetStore store = store();
        call(store, "r1", Fence.NONE);
        call(store, "r2", Fence.NONE);

        assertThat(call(store, "r3", Fence.NONE).liveReplicas()).isEqualTo(3);
    }

    @Test
    void grantsNameTheDemandTheyAreFor() {
        Allocation allocation = call(store(), "r1", Fence.NONE, new Demand("a", 1, 1, -1), new Demand("b", 2, 1, -1));

        assertThat(allocation.grants().stream().map(Grant::demand).sorted().toList())
                .containsExactly(0, 1, 1);
    }
}
