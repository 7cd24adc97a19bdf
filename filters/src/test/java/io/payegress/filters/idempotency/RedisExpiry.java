package io.payegress.filters.idempotency;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Waits, with a bounded poll, until Redis itself has expired a dedupe record. */
final class RedisExpiry {

    private RedisExpiry() {}

    static void awaitGone(ReactiveRedisConnectionFactory factory, DedupeKey key, Duration ttl) {
        ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(factory);
        await("Redis to expire " + key.redisKey())
                .atMost(ttl.plusSeconds(5))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> Boolean.FALSE.equals(redis.hasKey(key.redisKey()).block()));
    }
}
