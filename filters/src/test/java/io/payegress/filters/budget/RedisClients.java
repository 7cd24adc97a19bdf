package io.payegress.filters.budget;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce clients configured as the gateway must configure its own: fail fast when Redis is down, and reconnect at
 * most a second apart (the gateway's RedisClientConfiguration).
 */
final class RedisClients {

    /** Shared by every client these tests make, for the life of the test JVM (a client does not shut them down). */
    private static final ClientResources RESOURCES = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();

    private RedisClients() {}

    static RedisClient failFast(String uri) {
        RedisClient client = RedisClient.create(RESOURCES, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(150)))
                .build());
        return client;
    }
}
