package io.payegress.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce options for a payment path: while Redis is unreachable, commands are rejected at once instead of being
 * queued until reconnect (Lettuce's default parks them, so every request would hang), and every command has a
 * timeout, so a dead Redis costs a request milliseconds and the stages' failure policies take over. Lettuce's own
 * timeout is the longest a stage allows (the dedupe timeout); each stage bounds its commands with its own.
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    @Bean
    LettuceClientConfigurationBuilderCustomizer failFastRedisClient(StateProperties state) {
        Duration timeout = state.effectiveDedupeTimeout();
        return builder -> builder.commandTimeout(timeout)
                .clientOptions(ClusterClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .autoReconnect(true)
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .build());
    }
}
