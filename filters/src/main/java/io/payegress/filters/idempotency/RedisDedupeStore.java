package io.payegress.filters.idempotency;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisHashReactiveCommands;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.payegress.filters.pipeline.LuaScript;
import io.payegress.filters.pipeline.Timeouts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link DedupeStore} on Redis (standalone or Cluster) over a Lettuce connection of its own. Each record is one hash
 * ({@code state}, {@code fp}, {@code owner}, {@code prior}, {@code resp}) beside its attempt marker (a string key in
 * the same slot); claim, complete and release are each one Lua script on those two keys, so each is atomic and one
 * round trip, and TTLs are set in the same step. Every call fails after {@code commandTimeout} so a dead Redis
 * surfaces as an error, not a hang.
 *
 * <p>The connection is made from the client of Spring Boot's connection factory, so it has that client's options
 * (commands refused at once while disconnected, timeouts), on the first call and off the event loop; a failed attempt
 * is forgotten, and the next call tries again, so the gateway starts while Redis is down. Scripts go as {@code
 * EVALSHA}, and as {@code EVAL} when Redis does not hold them yet. Lettuce directly, not Spring Data Redis' reactive
 * template: the template's script executor made a connection wrapper, a resource scope and serialised copies of every
 * key, argument and reply for each call, 3.3% of a replica's CPU at 80% of the limit (docs/benchmarks.md, session 42).
 */
public final class RedisDedupeStore implements DedupeStore {

    /** Keys as UTF-8 text; values (script arguments, replies, stored responses) as bytes. */
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final String[] PEEKED = {"state", "fp", "resp"};

    private final Supplier<Commands> connect;
    private final Mono<Commands> connecting;
    private final Duration commandTimeout;
    private volatile @Nullable Commands connected;

    RedisDedupeStore(Supplier<Commands> connect, Duration commandTimeout) {
        this.connect = connect;
        this.commandTimeout = commandTimeout;
        // one attempt at a time, shared by the calls that wait for it; its outcome is not kept (a success is kept in
        // the field instead), so a failure is tried again by the next call
        this.connecting = Mono.fromCallable(this::connectOnce)
                .subscribeOn(Schedulers.boundedElastic())
                .cache(commands -> Duration.ZERO, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** A store on its own connection, made from the client of this (started) connection factory. */
    public static RedisDedupeStore over(LettuceConnectionFactory factory, Duration commandTimeout) {
        return new RedisDedupeStore(() -> Commands.connect(factory.getRequiredNativeClient()), commandTimeout);
    }

    @Override
    public Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
        return run(
                        RedisScripts.CLAIM,
                        key,
                        utf8(fingerprint.hex()),
                        utf8(ownerId),
                        millis(inFlightTtl),
                        millis(historyTtl))
                .map(RedisDedupeStore::outcome);
    }

    @Override
    public Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl) {
        return run(RedisScripts.COMPLETE, key, utf8(ownerId), response.encode(), millis(completedTtl))
                .map(reply -> !reply.isEmpty());
    }

    @Override
    public Mono<Boolean> release(DedupeKey key, String ownerId, boolean attempted) {
        return run(RedisScripts.RELEASE, key, utf8(ownerId), utf8(attempted ? "1" : "0"))
                .map(reply -> !reply.isEmpty());
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return CompletionPoller.poll(() -> peek(key), maxWait);
    }

    private Mono<ClaimOutcome> peek(DedupeKey key) {
        return Timeouts.within(
                        with(redis ->
                                redis.hashes().hmget(key.redisKey(), PEEKED).collectList()),
                        commandTimeout)
                .filter(fields -> fields.get(0).hasValue())
                .map(fields -> outcome(fields.stream()
                        .takeWhile(KeyValue::hasValue)
                        .map(KeyValue::getValue)
                        .toList()));
    }

    private Mono<List<byte[]>> run(LuaScript script, DedupeKey key, byte[]... args) {
        String[] keys = {key.redisKey(), key.attemptsKey()};
        return Timeouts.within(
                with(redis -> redis.scripts()
                        .<Object>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
                        .onErrorResume(
                                RedisNoScriptException.class,
                                e -> redis.scripts().eval(script.text(), ScriptOutputType.MULTI, keys, args))
                        .collectList()
                        .map(RedisDedupeStore::bulkStrings)),
                commandTimeout);
    }

    private <T> Mono<T> with(Function<Commands, Mono<T>> call) {
        Commands redis = connected;
        return redis != null ? call.apply(redis) : connecting.flatMap(call);
    }

    private synchronized Commands connectOnce() {
        Commands redis = connected;
        if (redis == null) {
            redis = connect.get();
            connected = redis;
        }
        return redis;
    }

    /** A script's array of bulk strings: Lettuce emits its elements, or the whole array as one nested list. */
    private static List<byte[]> bulkStrings(List<Object> emitted) {
        List<?> items = emitted.size() == 1 && emitted.get(0) instanceof List<?> nested ? nested : emitted;
        List<byte[]> strings = new ArrayList<>(items.size());
        for (Object item : items) {
            strings.add((byte[]) item);
        }
        return strings;
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

    /** The two command groups the store sends, both views of one connection (standalone or Cluster). */
    record Commands(
            RedisScriptingReactiveCommands<String, byte[]> scripts, RedisHashReactiveCommands<String, byte[]> hashes) {

        static <C extends RedisScriptingReactiveCommands<String, byte[]> & RedisHashReactiveCommands<String, byte[]>>
                Commands of(C commands) {
            return new Commands(commands, commands);
        }

        static Commands connect(AbstractRedisClient client) {
            if (client instanceof RedisClusterClient cluster) {
                return of(cluster.connect(CODEC).reactive());
            }
            return of(((RedisClient) client).connect(CODEC).reactive());
        }
    }
}
