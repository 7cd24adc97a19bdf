package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import io.payegress.testing.RedisExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

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

    @Test
    void scriptsAreSentAgainWhenRedisNoLongerHoldsThem() {
        DedupeKey first = key();
        assertThat(claim(first, FP, "owner-1", LONG)).isEqualTo(new ClaimOutcome.Claimed(false));
        new ReactiveStringRedisTemplate(redis.factory())
                .execute(connection -> connection.scriptingCommands().scriptFlush())
                .blockLast(Duration.ofSeconds(5));

        DedupeKey second = key();
        assertThat(claim(second, FP, "owner-2", LONG)).isEqualTo(new ClaimOutcome.Claimed(false));
        assertThat(store().complete(second, "owner-2", response(), LONG).block(Duration.ofSeconds(5)))
                .isTrue();
    }

    @Test
    void aFailedFirstConnectionIsTriedAgainByTheNextCall() {
        AtomicInteger attempts = new AtomicInteger();
        RedisDedupeStore store = new RedisDedupeStore(
                () -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new RedisConnectionException("Redis not up yet");
                    }
                    return RedisDedupeStore.Commands.connect(redis.factory().getRequiredNativeClient());
                },
                Duration.ofSeconds(2));
        DedupeKey key = key();
        Mono<ClaimOutcome> claim = store.claim(key, FP, "owner-1", LONG, LONG);

        assertThatThrownBy(() -> claim.block(Duration.ofSeconds(5))).isInstanceOf(RedisConnectionException.class);
        assertThat(claim.block(Duration.ofSeconds(5))).isEqualTo(new ClaimOutcome.Claimed(false));
        assertThat(store.claim(key(), FP, "owner-2", LONG, LONG).block(Duration.ofSeconds(5)))
                .isEqualTo(new ClaimOutcome.Claimed(false));
        assertThat(attempts).hasValue(2);
    }
}
