package io.payegress.filters.idempotency;

import io.payegress.filters.pipeline.Timeouts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import reactor.core.publisher.Mono;

/**
 * {@link DedupeStore} on Redis (standalone, Sentinel or Cluster) through Spring Data Redis' reactive Lettuce
 * connection. Each record is one hash ({@code state}, {@code fp}, {@code owner}, {@code prior}, {@code resp}) beside
 * its attempt marker (a string key in the same slot); claim, complete and release are each one Lua script on those
 * two keys, so each is atomic and one round trip, and TTLs are set in the same step. Every call fails after {@code
 * commandTimeout} so a dead Redis surfaces as an error, not a hang.
 */
public final class RedisDedupeStore implements DedupeStore {

    private final ReactiveRedisTemplate<String, byte[]> redis;
    private final Duration commandTimeout;

    public RedisDedupeStore(ReactiveRedisConnectionFactory connectionFactory, Duration commandTimeout) {
        RedisSerializationContext<String, byte[]> context =
                RedisSerializationContext.<String, byte[]>newSerializationContext(RedisSerializer.string())
                        .value(RedisSerializer.byteArray())
                        .hashKey(RedisSerializer.string())
                        .hashValue(RedisSerializer.byteArray())
                        .build();
        this.redis = new ReactiveRedisTemplate<>(connectionFactory, context);
        this.commandTimeout = commandTimeout;
    }

    @Override
    public Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
        List<byte[]> args = List.of(utf8(fingerprint.hex()), utf8(ownerId), millis(inFlightTtl), millis(historyTtl));
        return run(RedisScripts.CLAIM, key, args).map(RedisDedupeStore::outcome);
    }

    @Override
    public Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl) {
        List<byte[]> args = List.of(utf8(ownerId), response.encode(), millis(completedTtl));
        return run(RedisScripts.COMPLETE, key, args).map(reply -> !reply.isEmpty());
    }

    @Override
    public Mono<Boolean> release(DedupeKey key, String ownerId, boolean attempted) {
        return run(RedisScripts.RELEASE, key, List.of(utf8(ownerId), utf8(attempted ? "1" : "0")))
                .map(reply -> !reply.isEmpty());
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return CompletionPoller.poll(() -> peek(key), maxWait);
    }

    private Mono<ClaimOutcome> peek(DedupeKey key) {
        return Timeouts.within(
                        redis.<String, byte[]>opsForHash().multiGet(key.redisKey(), List.of("state", "fp", "resp")),
                        commandTimeout)
                .filter(fields -> fields.get(0) != null)
                .map(fields -> outcome(fields.stream().takeWhile(f -> f != null).toList()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Mono<List<byte[]>> run(RedisScript<List> script, DedupeKey key, List<byte[]> args) {
        return Timeouts.within(
                redis.execute(script, List.of(key.redisKey(), key.attemptsKey()), args)
                        .next()
                        .map(reply -> (List<byte[]>) reply),
                commandTimeout);
    }

    /** A claim reply is {"claimed", "0"|"1"}, {"i", fp} or {"c", fp, encoded response}. */
    private static ClaimOutcome outcome(List<byte[]> reply) {
        String state = new String(reply.get(0), StandardCharsets.UTF_8);
        switch (state) {
            case "claimed":
                return new ClaimOutcome.Claimed(
                        reply.size() > 1 && "1".equals(new String(reply.get(1), StandardCharsets.UTF_8)));
            case "i":
                return new ClaimOutcome.InFlight(new Fingerprint(new String(reply.get(1), StandardCharsets.UTF_8)));
            case "c":
                return new ClaimOutcome.Completed(
                        new Fingerprint(new String(reply.get(1), StandardCharsets.UTF_8)),
                        StoredResponse.decode(reply.get(2)));
            default:
                throw new IllegalStateException("unexpected dedupe record state " + state);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] millis(Duration ttl) {
        return utf8(Long.toString(Math.max(1, ttl.toMillis())));
    }
}
