package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Request;
import io.payegress.testing.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisBudgetStoreTest extends BudgetStoreContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final String PREFIX = "payegress:budget:{1900000109:coupons-use}:";

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        client = RedisClients.failFast(REDIS.redisUri());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @Override
    BudgetStore store() {
        return new RedisBudgetStore(connection.reactive(), "1900000109", SETTINGS, Duration.ofSeconds(2));
    }

    @Test
    void afterThrottlingTheLimitGrowsBackOnlyToJustBelowWhereTheSignalCameUntilTheHoldEnds() {
        BudgetStore store = store();
        store.allocate(new Request("r1", List.of(), Fence.NONE)).block();
        assertThat(store.throttled().block()).isEqualTo(20.0);
        String state = "payegress:budget:{1900000109:coupons-use}:state";
        String hourAgo = Long.toString((System.currentTimeMillis() - 3_600_000L) * 1_000);

        connection.sync().hset(state, "at", hourAgo);
        Allocation held =
                store.allocate(new Request("r1", List.of(), Fence.NONE)).block();
        connection.sync().hset(state, Map.of("at", hourAgo, "until", hourAgo));
        Allocation released =
                store.allocate(new Request("r1", List.of(), Fence.NONE)).block();

        assertThat(held).isNotNull();
        assertThat(held.limit()).isEqualTo((int) (40 * AdaptiveLimit.CEILING_FACTOR));
        assertThat(released).isNotNull();
        assertThat(released.limit()).isEqualTo(40);
    }

    @Test
    void holdsTheShareOfAReplicaSilentLongerThanAReplicaTtlAndForgetsOneSilentLongerThanTheHold() {
        BudgetStore store = store();
        store.allocate(new Request("r1", List.of(), Fence.NONE)).block();
        String members = "payegress:budget:{1900000109:coupons-use}:members";
        long nowMicros = System.currentTimeMillis() * 1_000;
        long silent = nowMicros - 3 * SETTINGS.replicaTtlMicros();
        long gone = nowMicros - SETTINGS.holdMicros() - 60_000_000L;
        connection.sync().hset(members, Map.of("r2", silent + "|13", "r3", gone + "|13"));

        Allocation allocation =
                store.allocate(new Request("r1", List.of(), Fence.NONE)).block();

        assertThat(allocation).isNotNull();
        assertThat(allocation.limit()).isEqualTo(40 - 13);
        assertThat(allocation.members()).isEqualTo(2);
        assertThat(connection.sync().hkeys(members)).containsExactlyInAnyOrder("r1", "r2");
    }

    @Test
    void keepsEveryKeyOfOneBudgetInOneHashSlot() {
        store().allocate(new Request("r1", List.of(new Demand("a", 100, 1, -1)), Fence.NONE))
                .block();

        List<String> keys = connection.sync().keys("*");
        assertThat(keys)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(key).startsWith("payegress:budget:{1900000109:coupons-use}:"));
    }

    @Test
    void keepsEachReplicasReportInOneFieldWithItsBacklogLeftAfterTheGrants() {
        store().allocate(new Request(
                        "r1", List.of(new Demand("a", 100, 2, -1, 30), new Demand("b", 0, 1, 6, 0)), Fence.NONE))
                .block();

        assertThat(connection.sync().hgetall(PREFIX + "reports"))
                .hasEntrySatisfying("r1", report -> assertThat(report).matches("\\d+ a 60 2 -1 30\\.000"));
        assertThat(connection.sync().exists(PREFIX + "demand", PREFIX + "offered"))
                .as("the earlier version's hashes are only read")
                .isZero();
    }

    @Test
    void countsTheDemandAndOfferedRatesOfReplicasOfTheEarlierVersionDuringARollingUpdate() {
        // replicas not yet replaced run the earlier script, which reports each tenant as amount|weight|cap|expiresAt
        String expiresAt = Long.toString((System.currentTimeMillis() + 60_000) * 1_000);
        connection.sync().hset(PREFIX + "demand", "old|noisy", "10|1|-1|" + expiresAt);
        connection.sync().hset(PREFIX + "offered", "old|noisy", "30|1|-1|" + expiresAt);

        Allocation allocation = store().allocate(new Request(
                        "r1", List.of(new Demand("quiet", 1, 1, -1, 5), new Demand("noisy", 1, 1, -1, 15)), Fence.NONE))
                .block();

        assertThat(allocation).isNotNull();
        assertThat(allocation.overShare())
                .as("45/s over both versions' replicas")
                .containsExactly("noisy");
    }

    @Test
    void refusesATenantItCouldNotTellFromTheNextInItsReport() {
        BudgetStore store = store();

        assertThatThrownBy(() -> store.allocate(new Request("r1", List.of(new Demand("a b", 1, 1, -1)), Fence.NONE))
                        .block())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pausesWhenItsStateVanishedWhileACallerHadJustGranted() {
        Allocation allocation = store().allocate(
                        new Request("r1", List.of(new Demand("a", 5, 1, -1)), Fence.RECENT_GRANTS))
                .block();

        assertThat(allocation).isNotNull();
        assertThat(allocation.grants()).isEmpty();
        assertThat(allocation.nextSlotMicros()).isGreaterThan(9_000_000);
    }

    @Test
    void writesEachOfferedRateAsPercent3fWouldWithoutItsFormatter() {
        for (double rate : new double[] {0, 0.0004, 0.0005, 0.001, 0.0999, 1, 16.819, 25.5, 499.9996, 12345.678}) {
            assertThat(RedisBudgetStore.thousandths(rate))
                    .as(Double.toString(rate))
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", rate));
        }
        assertThat(RedisBudgetStore.thousandths(-1)).isEqualTo("0.000");
    }
}
