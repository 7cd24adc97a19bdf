package io.payegress.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

class StatePropertiesTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Properties.class, RedisClientConfiguration.class);

    @Test
    void dedupeCommandsWaitLongerThanTheBudgetsCallsByDefaultAndLettuceAllowsTheLonger() {
        context.run(started -> {
            StateProperties state = started.getBean(StateProperties.class);
            assertThat(state.commandTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(state.effectiveDedupeTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(lettuceTimeout(started.getBean(LettuceClientConfigurationBuilderCustomizer.class)))
                    .isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void theDedupeTimeoutIsNeverShorterThanTheCommandTimeout() {
        context.withPropertyValues("payegress.state.command-timeout=5s").run(started -> {
            assertThat(started.getBean(StateProperties.class).effectiveDedupeTimeout())
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(lettuceTimeout(started.getBean(LettuceClientConfigurationBuilderCustomizer.class)))
                    .isEqualTo(Duration.ofSeconds(5));
        });
    }

    private static Duration lettuceTimeout(LettuceClientConfigurationBuilderCustomizer customizer) {
        LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
        customizer.customize(builder);
        return builder.build().getCommandTimeout();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StateProperties.class)
    static class Properties {}
}
