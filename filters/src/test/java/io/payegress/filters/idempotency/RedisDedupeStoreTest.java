package io.payegress.filters.idempotency;

import io.payegress.testing.RedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisDedupeStoreTest extends DedupeStoreContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private RedisDedupeConnection redis;

    @BeforeEach
    void connect() {
        redis = new RedisDedupeConnection(REDIS);
    }

    @AfterEach
    void disconnect() {
        redis.close();
    }

    @Override
    DedupeStore store() {
        return redis.store();
    }

    @Override
    void letExpire(DedupeKey key, Duration ttl) {
        RedisExpiry.awaitGone(redis.factory(), key, ttl);
    }
}
