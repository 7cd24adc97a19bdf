package io.payegress.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.resource.ClientResources;
import io.payegress.gateway.config.ThreadPriorities;
import io.payegress.testing.RedisServerFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The budget's own Redis client: Boot's server and options, its own I/O thread, closed with its threads. */
class BudgetRedisClientTest {

    private static RedisServerFixture redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void keepsBootsTlsOptionsNameAndTimeoutsOnItsOwnResources() {
        ClientOptions options = ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build();
        LettuceClientConfiguration boot = LettuceClientConfiguration.builder()
                .useSsl()
                .verifyPeer(SslVerifyMode.CA)
                .startTls()
                .and()
                .clientOptions(options)
                .clientName("payegress")
                .commandTimeout(Duration.ofMillis(2_000))
                .shutdownTimeout(Duration.ofMillis(300))
                .shutdownQuietPeriod(Duration.ofMillis(20))
                .build();
        ClientResources own = ClientResources.create();
        try {
            LettuceClientConfiguration copy = BudgetRedisClient.withResources(boot, own);

            assertThat(copy.isUseSsl()).isTrue();
            assertThat(copy.getVerifyMode()).isEqualTo(SslVerifyMode.CA);
            assertThat(copy.isStartTls()).isTrue();
            assertThat(copy.getClientOptions()).containsSame(options);
            assertThat(copy.getClientName()).contains("payegress");
            assertThat(copy.getCommandTimeout()).isEqualTo(Duration.ofMillis(2_000));
            assertThat(copy.getShutdownTimeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(copy.getShutdownQuietPeriod()).isEqualTo(Duration.ofMillis(20));
            assertThat(copy.getClientResources()).containsSame(own);
        } finally {
            own.shutdown();
        }
    }

    @Test
    void answersOnItsOwnThreadNotBootsAndRefusesAfterClose() {
        LettuceConnectionFactory boot =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        boot.afterPropertiesSet();
        boot.start();
        ThreadPriorities priorities = ThreadPriorities.detect();
        BudgetRedisClient client = new BudgetRedisClient(
                new StaticListableBeanFactory(Map.of("redis", boot)).getBeanProvider(LettuceConnectionFactory.class),
                priorities);
        try {
            RedisScriptingReactiveCommands<String, String> budget = client.connect();
            Thread answeredOn = budget.<Long>eval("return 1", ScriptOutputType.INTEGER)
                    .map(one -> Thread.currentThread())
                    .next()
                    .block(Duration.ofSeconds(10));
            String bootAnsweredOn = ((RedisClient) boot.getRequiredNativeClient())
                    .connect()
                    .reactive()
                    .ping()
                    .map(pong -> Thread.currentThread().getName())
                    .block(Duration.ofSeconds(10));

            assertThat(answeredOn.getName()).startsWith(BudgetRedisClient.THREAD_PREFIX + "-");
            assertThat(answeredOn.getPriority())
                    .isEqualTo(
                            priorities.mode() == ThreadPriorities.Mode.RAISED
                                    ? Thread.MAX_PRIORITY
                                    : Thread.NORM_PRIORITY);
            assertThat(bootAnsweredOn).doesNotStartWith(BudgetRedisClient.THREAD_PREFIX);

            client.close();

            assertThatThrownBy(() -> budget.<Long>eval("return 1", ScriptOutputType.INTEGER)
                            .next()
                            .block(Duration.ofSeconds(10)))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(client::connect).isInstanceOf(IllegalStateException.class);
        } finally {
            client.close();
            boot.destroy();
        }
    }

    @Test
    void namesItsThreadsAfterLettucesPools() {
        assertThat(BudgetRedisClient.threadName("lettuce-epollEventLoop"))
                .isEqualTo("payegress-budget-redis-epollEventLoop");
        assertThat(BudgetRedisClient.threadName("lettuce-eventExecutorLoop"))
                .isEqualTo("payegress-budget-redis-eventExecutorLoop");
    }
}
