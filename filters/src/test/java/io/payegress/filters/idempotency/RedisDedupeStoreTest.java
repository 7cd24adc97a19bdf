package io.payegress.filters.idempotency;

import io.payegress.testing.RedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisDedupeStoreTest extends DedupeStoreContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private LettuceConnectionFactory factory;
    private RedisDedupeStore store;

    @BeforeEach
    void connect() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(REDIS.host(), REDIS.port()));
        factory.afterPropertiesSet();
        factory.start();
        store = new RedisDedupeStore(factory, Duration.ofSeconds(2));
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
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
