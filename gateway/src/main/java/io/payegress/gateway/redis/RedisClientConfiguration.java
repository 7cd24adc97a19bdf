package io.payegress.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce options for a payment path: while Redis is unreachable, commands are rejected at once instead of being
 * queued until reconnect (Lettuce's default parks them, so every request would hang), and every command has a
 * timeout, so a dead Redis costs a request milliseconds and the stages' failure policies take over. Lettuce's own
 * timeout is the longest a stage allows (the dedupe timeout); each stage bounds its commands with its own. A lost
 * connection is tried again at most {@link #RECONNECT_AT_MOST} apart.
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    /**
     * The longest wait between two reconnection attempts. Lettuce's default backs off to 30 s, so a replica degraded
     * by a Redis outage came back up to 16 s after Redis did (seen in the budget benchmark's Redis kill), while the
     * store holds its share of the limit out for the others (docs/budget.md, "Redis lost").
     */
    static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(1);

    @Bean
    ClientResourcesBuilderCustomizer boundedReconnectDelay() {
        return builder -> builder.reconnectDelay(
                Delay.exponential(Duration.ofMillis(50), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS));
    }

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
