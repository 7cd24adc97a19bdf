package io.payegress.filters.idempotency;

import io.payegress.testing.RedisExtension;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** A Redis dedupe store on its own Lettuce connection to a test's real Redis, closed after each test. */
final class RedisDedupeConnection implements AutoCloseable {

    private final LettuceConnectionFactory factory;
    private final RedisDedupeStore store;

    RedisDedupeConnection(RedisExtension redis) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        store = new RedisDedupeStore(factory, Duration.ofSeconds(2));
    }

    RedisDedupeStore store() {
        return store;
    }

    LettuceConnectionFactory factory() {
        return factory;
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
