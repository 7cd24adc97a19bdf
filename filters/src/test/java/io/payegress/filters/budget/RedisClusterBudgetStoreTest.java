package io.payegress.filters.budget;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.payegress.testing.RedisClusterFixture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real 3-master Redis Cluster: every key of a budget is in one slot, so the script runs. */
class RedisClusterBudgetStoreTest extends BudgetStoreContract {

    private static final AtomicInteger BUDGETS = new AtomicInteger();
    private static RedisClusterFixture cluster;
    private static RedisClusterClient client;
    private static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        cluster = RedisClusterFixture.start(3);
        client = RedisClusterClient.create(
                cluster.nodeUris().stream().map(RedisURI::create).toList());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
        cluster.close();
    }

    @Override
    BudgetStore store() {
        BudgetSettings s = SETTINGS;
        BudgetSettings fresh = new BudgetSettings(
                "coupons-use-" + BUDGETS.incrementAndGet(),
                s.limit(),
                s.maxWait(),
                s.safetyMargin(),
                s.minLimit(),
                s.recoveryPerSecond(),
                s.decreaseFactor(),
                s.horizon(),
                s.dispatchInterval(),
                s.heartbeat(),
                s.redisFailure(),
                s.lead(),
                s.lateTolerance());
        return new RedisBudgetStore(connection.reactive(), "1900000109", fresh, Duration.ofSeconds(2));
    }
}
