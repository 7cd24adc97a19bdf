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
    private static final Tenant A = FairQueueTest.tenant("a", 2, OptionalInt.empty());
    private static final Tenant B = FairQueueTest.tenant("b", 1, OptionalInt.of(7));

    @Test
    void reportsEachWaitingTenantsRateAndATenantThatOffersWithNothingWaiting() {
        OfferedLoad offered = new OfferedLoad();
        for (int i = 0; i < 20; i++) {
            offered.arrived(A, i * 100 * MS, i * 100 * MS);
            if (i == 5) {
                offered.arrived(B, 500 * MS, 500 * MS);
            }
        }

        List<Demand> demands = offered.demands(List.of(new Demand("a", 3, 2, -1)), 1_999 * MS);

        assertThat(demands).containsExactly(new Demand("a", 3, 2, -1, 10), new Demand("b", 0, 1, 7, 0.5));
    }

    @Test
    void requestsReadAtOnceAfterAStallCountFromWhenTheyCame() {
        OfferedLoad offered = new OfferedLoad();
        for (int i = 0; i < 20; i++) {
            offered.arrived(A, i * 100 * MS, i * 100 * MS);
        }
        // the replica stood still from 2 s to 3 s: the ten requests that came meanwhile are read at once
        for (int i = 0; i < 10; i++) {
            offered.arrived(A, 2_000 * MS + i * 100 * MS, 3_000 * MS);
        }

        assertThat(offered.perSecond("a", 3_000 * MS)).isCloseTo(10, within(0.5));
    }

    @Test
    void aReplicaBehindCountsAsOfTheLastRequestItReadNotAsOfNow() {
        OfferedLoad offered = new OfferedLoad();
        // 100 requests a second come from 0 s on; by 4 s the replica has read only those of the first 2.5 s
        for (int i = 0; i <= 250; i++) {
            offered.arrived(A, i * 10 * MS, 4_000 * MS * i / 250);
        }

        assertThat(offered.perSecond("a", 4_000 * MS)).isCloseTo(100, within(1.0));
    }

    @Test
    void forgetsATenantQuietForTheWholeSpan() {
        OfferedLoad offered = new OfferedLoad();
        offered.arrived(A, 0, 0);

        assertThat(offered.demands(List.of(), 3_000 * MS)).hasSize(1);
        assertThat(offered.demands(List.of(), ArrivalLog.SPAN_NANOS + 200 * MS)).isEmpty();
        assertThat(offered.demands(List.of(new Demand("a", 1, 2, -1)), ArrivalLog.SPAN_NANOS + 200 * MS))
                .as("still reported while it waits")
                .containsExactly(new Demand("a", 1, 2, -1, 0));
    }
}
