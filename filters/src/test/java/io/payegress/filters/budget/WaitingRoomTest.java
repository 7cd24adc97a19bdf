package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.tenant.Tenant;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The admission rule where the budget is starved by its own feed: requests wait longer to be signed than the
 * queue's horizon, so the budget has room only because the requests that would fill it are still on their way.
 */
class WaitingRoomTest {

    private static final Duration SIGNING_BEHIND = Duration.ofSeconds(2);
    private static final Tenant NOISY = FairQueueTest.tenant("noisy", 1, OptionalInt.empty());

    private final BudgetSettings settings = BudgetSettings.defaults("coupons-use", 500);
    private final DispatchState state = new DispatchState();
    private final WaitingRoom room = new WaitingRoom(
            settings, new BudgetMetrics(new SimpleMeterRegistry()), () -> 0L, VirtualTimeScheduler.create(), state);

    WaitingRoomTest() {
        state.limit = 500;
        state.live = 3;
        state.overShare = Set.of("noisy");
    }

    /** Admits requests of the tenant until one is refused; how many were admitted. */
    private int admittedUntilRefused(Tenant tenant, Duration feedWait) {
        for (int admitted = 0; admitted < 1_000; admitted++) {
            if (room.admit(tenant, 0, feedWait) == null) {
                return admitted;
            }
        }
        return 1_000;
    }

    @Test
    void aTenantOverItsShareIsAdmittedOnlyUpToWhatTheBudgetGrantsItInMaxWaitWhileSigningIsBehind() {
        // nineteen other tenants have a request on its way here: the noisy one's equal share of this replica's
        // part of the limit is 500 / 3 / 20 = 8.3 a second; behind the feed, the queue's half of max-wait (250 ms)
        // and the feed's other half hold 2.1
        for (int i = 1; i < 20; i++) {
            room.admit(FairQueueTest.tenant("store-" + i, 1, OptionalInt.empty()), 0, Duration.ZERO);
        }

        assertThat(state.saturatedSinceNanos).as("the budget itself has room").isNegative();
        assertThat(admittedUntilRefused(NOISY, SIGNING_BEHIND)).isEqualTo(3);
    }

    @Test
    void aTenantOverItsShareIsAdmittedWhileTheBudgetHasRoomAndSigningKeepsUp() {
        assertThat(admittedUntilRefused(NOISY, settings.maxWait().dividedBy(2))).isEqualTo(1_000);
    }

    @Test
    void aTenantWithinItsShareIsAdmittedHoweverFarBehindSigningIs() {
        Tenant modest = FairQueueTest.tenant("modest", 1, OptionalInt.empty());

        assertThat(admittedUntilRefused(modest, Duration.ofSeconds(30))).isEqualTo(1_000);
    }

    @Test
    void aLoneTenantOverItsShareMayHaveAllOfThisReplicasPartAhead() {
        // 500 / 3 a second, 41.7 in max-wait
        assertThat(admittedUntilRefused(NOISY, SIGNING_BEHIND)).isEqualTo(42);
    }
}
