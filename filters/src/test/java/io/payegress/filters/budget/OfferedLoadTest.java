package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.tenant.Tenant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OfferedLoadTest {

    private static final long MS = 1_000_000L;

    @Test
    void reportsEachWaitingTenantsRateAndATenantThatOffersWithNothingWaiting() {
        OfferedLoad offered = new OfferedLoad();
        for (int i = 0; i < 20; i++) {
            offered.arrived(FairQueueTest.tenant("a", 2, OptionalInt.empty()), i * 100 * MS, i * 100 * MS);
        }
        offered.arrived(FairQueueTest.tenant("b", 1, OptionalInt.of(7)), 500 * MS, 500 * MS);

        List<Demand> demands = offered.demands(List.of(new Demand("a", 3, 2, -1)), 1_999 * MS);

        assertThat(demands).containsExactly(new Demand("a", 3, 2, -1, 10), new Demand("b", 0, 1, 7, 0.5));
    }

    @Test
    void forgetsATenantQuietForTwoPeriods() {
        OfferedLoad offered = new OfferedLoad();
        offered.arrived(FairQueueTest.tenant("a", 1, OptionalInt.empty()), 0, 0);

        assertThat(offered.demands(List.of(), 3_000 * MS)).hasSize(1);
        assertThat(offered.demands(List.of(), 4_000 * MS)).isEmpty();
        assertThat(offered.demands(List.of(new Demand("a", 1, 1, -1)), 4_000 * MS))
                .as("still reported while it waits")
                .containsExactly(new Demand("a", 1, 1, -1, 0));
    }

    @Test
    void requestsReadAtOnceAfterAStallCountFromWhenTheyArrived() {
        OfferedLoad offered = new OfferedLoad();
        Tenant a = FairQueueTest.tenant("a", 1, OptionalInt.empty());
        for (int i = 0; i < 20; i++) {
            offered.arrived(a, i * 100 * MS, i * 100 * MS);
        }
        // the replica stood still from 2 s to 3 s: the ten requests that came meanwhile are read at once
        for (int i = 0; i < 10; i++) {
            offered.arrived(a, 2_000 * MS + i * 100 * MS, 3_000 * MS);
        }

        assertThat(offered.demands(List.of(), 3_000 * MS))
                .singleElement()
                .satisfies(d -> assertThat(d.offered()).isCloseTo(10, within(1e-9)));
    }
}
