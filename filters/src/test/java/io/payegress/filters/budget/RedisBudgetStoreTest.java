package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

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
    void keepsTheDemandInTheFormatReplicasOfTheEarlierVersionReadAndTheOfferedRatesApart() {
        // during a rolling update the replicas not yet replaced run the earlier script, which reads every demand entry
        // as backlog|weight|cap|expiresAt
        store().allocate(new Request("r1", List.of(new Demand("a", 100, 2, -1, 30)), Fence.NONE))
                .block();

        String prefix = "payegress:budget:{1900000109:coupons-use}:";
        assertThat(connection.sync().hgetall(prefix + "demand"))
                .hasEntrySatisfying("r1|a", entry -> assertThat(entry).matches("60\\|2\\|-1\\|\\d+"));
        assertThat(connection.sync().hgetall(prefix + "offered"))
                .hasEntrySatisfying("r1|a", entry -> assertThat(entry).matches("30\\|2\\|-1\\|\\d+"));
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
