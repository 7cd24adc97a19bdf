package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    static Tenant tenant(String id, int weight, OptionalInt cap) {
        return new Tenant(new TenantId(id), List.of(), Set.of(), Map.of(), weight, cap, false);
    }

    private final FairQueue<String> queue = new FairQueue<>();
    private final Tenant a = tenant("a", 1, OptionalInt.empty());
    private final Tenant b = tenant("b", 3, OptionalInt.of(40));

    @Test
    void servesEachTenantInArrivalOrder() {
        queue.add(a, "a1");
        queue.add(b, "b1");
        queue.add(a, "a2");

        assertThat(queue.poll("a")).isEqualTo("a1");
        assertThat(queue.poll("a")).isEqualTo("a2");
        assertThat(queue.poll("a")).isNull();
        assertThat(queue.poll("b")).isEqualTo("b1");
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void countsTheTenantsThatHaveRequestsWaiting() {
        queue.add(a, "a1");
        queue.add(b, "b1");
        queue.add(b, "b2");
        assertThat(queue.tenantsBesides(Map.of())).isEqualTo(2);
        assertThat(queue.tenantsBesides(Map.of("a", 1)))
                .as("besides those counted already")
                .isEqualTo(1);

        queue.poll("a");
        assertThat(queue.tenantsBesides(Map.of())).isEqualTo(1);
        queue.remove("b", "b1");
        queue.poll("b");
        assertThat(queue.tenantsBesides(Map.of())).isZero();
    }

    @Test
    void reportsBacklogWeightAndCapPerTenant() {
        queue.add(a, "a1");
        queue.add(b, "b1");
        queue.add(a, "a2");

        assertThat(queue.demands()).containsExactly(new Demand("a", 2, 1, -1), new Demand("b", 1, 3, 40));
    }

    @Test
    void forgetsTenantsWithNothingWaiting() {
        queue.add(a, "a1");
        queue.add(b, "b1");

        assertThat(queue.remove("a", "a1")).isTrue();
        assertThat(queue.remove("a", "a1")).isFalse();
        assertThat(queue.demands()).containsExactly(new Demand("b", 1, 3, 40));
        assertThat(queue.size()).isEqualTo(1);
    }
}
