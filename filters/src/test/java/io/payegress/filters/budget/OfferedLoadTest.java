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

    /** Ten requests a second of tenant a from 0 s to 5.9 s, each read as it comes. */
    private static OfferedLoad steady() {
        OfferedLoad offered = new OfferedLoad();
        for (int i = 0; i < 60; i++) {
            offered.arrived(A, i * 100 * MS, i * 100 * MS);
        }
        return offered;
    }

    @Test
    void reportsEachWaitingTenantsRateAndATenantThatOffersWithNothingWaiting() {
        OfferedLoad offered = new OfferedLoad();
        for (int i = 0; i < 60; i++) {
            offered.arrived(A, i * 100 * MS, i * 100 * MS);
            if (i == 55) {
                offered.arrived(B, 5_500 * MS, 5_500 * MS);
            }
        }

        List<Demand> demands = offered.demands(List.of(new Demand("a", 3, 2, -1)), 5_999 * MS);

        assertThat(demands).hasSize(2);
        assertThat(demands.get(0)).satisfies(d -> {
            assertThat(List.of(d.tenant(), d.backlog(), d.weight(), d.cap())).containsExactly("a", 3, 2, -1);
            assertThat(d.offered()).isCloseTo(10, within(0.6));
        });
        assertThat(demands.get(1)).satisfies(d -> {
            assertThat(List.of(d.tenant(), d.backlog(), d.weight(), d.cap())).containsExactly("b", 0, 1, 7);
            assertThat(d.offered())
                    .as("one request: the lower of 1/2 s and 1/5 s")
                    .isCloseTo(0.2, within(1e-9));
        });
    }

    @Test
    void requestsReadAtOnceAfterAStallCountFromWhenTheyCame() {
        OfferedLoad offered = steady();
        // the replica stood still from 6 s to 7 s: the ten requests that came meanwhile are read at once
        for (int i = 0; i < 10; i++) {
            offered.arrived(A, 6_000 * MS + i * 100 * MS, 7_000 * MS);
        }

        assertThat(offered.perSecond("a", 7_000 * MS)).isCloseTo(10, within(0.6));
    }

    @Test
    void aReplicaBehindCountsAsOfTheLastRequestItReadNotAsOfNow() {
        OfferedLoad offered = new OfferedLoad();
        // 100 requests a second come from 0 s on; by 9 s the replica has read only those of the first 6 s
        for (int i = 0; i <= 600; i++) {
            offered.arrived(A, i * 10 * MS, 9_000 * MS * i / 600);
        }

        assertThat(offered.perSecond("a", 9_000 * MS)).isCloseTo(100, within(1.0));
    }

    @Test
    void aBurstOfHeldRequestsIsDampedByTheLongerPeriod() {
        OfferedLoad offered = steady();
        // a client sends at once ten requests it held back (a second's worth)
        for (int i = 0; i < 10; i++) {
            offered.arrived(A, 5_950 * MS, 5_950 * MS);
        }

        // over 2 s: 30.5 requests, 15.25/s; over 5 s: 60.5 requests, 12.1/s
        assertThat(offered.perSecond("a", 5_950 * MS)).isCloseTo(12.1, within(1e-6));
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
