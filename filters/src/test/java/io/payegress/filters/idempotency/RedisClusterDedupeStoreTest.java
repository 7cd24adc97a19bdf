package io.payegress.filters.idempotency;

import io.payegress.testing.RedisClusterFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisClusterDedupeStoreTest extends DedupeStoreContract {

    private static RedisClusterFixture cluster;
    private static LettuceConnectionFactory factory;
    private static RedisDedupeStore store;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterFixture.start(3);
        RedisClusterConfiguration config = new RedisClusterConfiguration(cluster.nodeUris().stream()
                .map(uri -> uri.substring("redis://".length()))
                .toList());
        factory = new LettuceConnectionFactory(config);
        factory.afterPropertiesSet();
        factory.start();
        store = new RedisDedupeStore(factory, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopCluster() {
        factory.destroy();
        cluster.close();
    }

    @Override
    DedupeStore store() {
        return store;
    }

    @Override
    void letExpire(DedupeKey key, Duration ttl) {
        RedisExpiry.awaitGone(factory, key, ttl);
    }
}
