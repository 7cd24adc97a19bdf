package io.payegress.gateway.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.payegress.gateway.config.ThreadPriorities;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The budget's own Redis client: the same server, credentials, TLS and options as Boot's client, on an I/O thread of
 * its own that runs at the latency-critical priority ({@link ThreadPriorities#latencyCritical(String)}).
 *
 * <p>Why not a connection of Boot's client: its connections share two I/O threads, picked round robin as each
 * connection is made or made again, and the dedupe stage goes on with the request on the thread that read its reply
 * (through retry and reconciliation to the signing hop, and on the way back to the POS). Where the budget's connection
 * landed on the dedupe connection's thread, its answers waited behind that work at the default priority: on the
 * 2-core bench at twice the limit, dedupe commands there timed out after 2 s, and after a Redis restart one replica's
 * budget calls could time out over a live connection for seconds while the others' did not. On its own thread the
 * budget's calls wait for Redis alone. A call's reply is handled on that thread too ({@code StoreDispatcher}), which
 * is budget work.
 *
 * <p>Made on first use (the gateway starts while Redis is down, {@link LazyScriptingCommands}); closed after the budget
 * limiters, whose leave uses it.
 */
public final class BudgetRedisClient implements AutoCloseable {

    /** Thread names start with this; the rest is Lettuce's pool name without its prefix. */
    static final String THREAD_PREFIX = "payegress-budget-redis";

    private final ObjectProvider<LettuceConnectionFactory> boot;
    private final ThreadPriorities priorities;
    private @Nullable ClientResources resources;
    private @Nullable LettuceConnectionFactory factory;
    private boolean closed;

    BudgetRedisClient(ObjectProvider<LettuceConnectionFactory> boot, ThreadPriorities priorities) {
        this.boot = boot;
        this.priorities = priorities;
    }

    /** Connects, making the client first if this is the first connection; a new connection on each call. */
    synchronized RedisScriptingReactiveCommands<String, String> connect() {
        if (closed) {
            throw new IllegalStateException("the budget's Redis client is closed");
        }
        if (factory == null) {
            ClientResources own = resources(priorities);
            LettuceConnectionFactory made = sameServer(boot.getObject(), own);
            made.afterPropertiesSet();
            made.start();
            resources = own;
            factory = made;
        }
        AbstractRedisClient client = factory.getRequiredNativeClient();
        if (client instanceof RedisClusterClient cluster) {
            return cluster.connect(StringCodec.UTF8).reactive();
        }
        return ((RedisClient) client).connect(StringCodec.UTF8).reactive();
    }

    /**
     * Lettuce's resources with one I/O thread and one computation thread, both latency-critical, and the same bounded
     * reconnection delay as Boot's client.
     */
    static ClientResources resources(ThreadPriorities priorities) {
        return ClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .threadFactoryProvider(pool -> priorities.latencyCritical(threadName(pool)))
                .reconnectDelay(RedisClientConfiguration.reconnectDelay())
                .build();
    }

    /** {@code lettuce-epollEventLoop} becomes {@code payegress-budget-redis-epollEventLoop}. */
    static String threadName(String lettucePool) {
        return THREAD_PREFIX + "-" + lettucePool.replaceFirst("^lettuce-", "");
    }

    /** A connection factory for the server Boot's factory connects to, as it connects, on the given resources. */
    static LettuceConnectionFactory sameServer(LettuceConnectionFactory boot, ClientResources resources) {
        RedisConfiguration server = boot.isClusterAware()
                ? boot.getClusterConfiguration()
                : boot.isRedisSentinelAware() ? boot.getSentinelConfiguration() : boot.getStandaloneConfiguration();
        return new LettuceConnectionFactory(server, withResources(boot.getClientConfiguration(), resources));
    }

    /** Boot's client configuration (TLS, options, name, credentials, timeouts) with other resources. */
    static LettuceClientConfiguration withResources(LettuceClientConfiguration boot, ClientResources resources) {
        LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
        if (boot.isUseSsl()) {
            LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl =
                    builder.useSsl().verifyPeer(boot.getVerifyMode());
            if (boot.isStartTls()) {
                ssl.startTls();
            }
            builder = ssl.and();
        }
        boot.getClientOptions().ifPresent(builder::clientOptions);
        boot.getClientName().ifPresent(builder::clientName);
        boot.getReadFrom().ifPresent(builder::readFrom);
        boot.getRedisCredentialsProviderFactory().ifPresent(builder::redisCredentialsProviderFactory);
        return builder.clientResources(resources)
                .commandTimeout(boot.getCommandTimeout())
                .shutdownTimeout(boot.getShutdownTimeout())
                .shutdownQuietPeriod(boot.getShutdownQuietPeriod())
                .build();
    }

    /** Closes the client, then its threads (waiting at most two seconds for them); later connections fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (factory != null) {
            factory.destroy();
            factory = null;
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            resources = null;
        }
    }
}
