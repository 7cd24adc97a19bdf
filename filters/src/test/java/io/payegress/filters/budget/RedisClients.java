package io.payegress.filters.budget;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/** Lettuce clients configured as the gateway must configure its own: fail fast when Redis is down. */
final class RedisClients {

    private RedisClients() {}

    static RedisClient failFast(String uri) {
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(150)))
                .build());
        return client;
    }
}
