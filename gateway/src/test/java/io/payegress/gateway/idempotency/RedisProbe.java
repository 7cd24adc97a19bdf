package io.payegress.gateway.idempotency;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test's own view into the Redis the gateways share (its own Lettuce client, not the gateway's): command
 * statistics for counting round trips, and the dedupe records.
 */
public final class RedisProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisProbe(String host, int port) {
        this.client = RedisClient.create(RedisURI.create(host, port));
        this.connection = client.connect();
    }

    private RedisCommands<String, String> redis() {
        return connection.sync();
    }

    void resetStats() {
        redis().configResetstat();
    }

    /** Calls per command since the last reset, e.g. {@code evalsha -> 400}, from INFO commandstats. */
    Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : redis().info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            String stats = line.substring(line.indexOf(':') + 1);
            for (String field : stats.split(",")) {
                if (field.startsWith("calls=")) {
                    calls.put(name, Long.parseLong(field.substring("calls=".length())));
                }
            }
        }
        return calls;
    }

    /** Whether a dedupe record exists for this use_request_no (any merchant, any route). */
    public boolean hasRecordFor(String useRequestNo) {
        return !redis().keys("payegress:dedupe:*" + useRequestNo + "}").isEmpty();
    }

    /** Whether the attempt marker of this use_request_no exists (any merchant, any route). */
    public boolean hasAttemptMarkerFor(String useRequestNo) {
        return !redis().keys("payegress:dedupe:*" + useRequestNo + "}:attempted")
                .isEmpty();
    }

    /** The dedupe records still in flight (claimed, neither completed nor released): their Redis keys. */
    public List<String> inFlightRecords() {
        return redis().keys("payegress:dedupe:*").stream()
                .filter(key -> "i".equals(redis().hget(key, "state")))
                .toList();
    }

    /** How many dedupe records exist. */
    public long dedupeRecords() {
        return redis().keys("payegress:dedupe:*").size();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
