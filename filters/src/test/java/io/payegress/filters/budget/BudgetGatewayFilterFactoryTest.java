package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.budget.BudgetSettings.RedisFailurePolicy;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

class BudgetGatewayFilterFactoryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BudgetLimiters limiters = new BudgetLimiters(
            settings -> new LocalBudgetStore(settings, settings.limit(), 1, Duration.ZERO, System::nanoTime),
            meters,
            "r1",
            System::nanoTime,
            Clock.systemUTC(),
            Schedulers.parallel());
    private final BudgetGatewayFilterFactory factory = new BudgetGatewayFilterFactory(limiters);

    @AfterEach
    void close() {
        limiters.close();
    }

    @Test
    void isNamedBudgetAndTakesNameAndLimitAsShortcut() {
        assertThat(factory.name()).isEqualTo("Budget");
        assertThat(factory.shortcutFieldOrder()).containsExactly("name", "limit");
    }

    @Test
    void turnsTheRouteArgumentsIntoSettingsWithDefaults() {
        BudgetGatewayFilterFactory.Config config = new BudgetGatewayFilterFactory.Config();
        config.setName("coupons-use");
        config.setLimit(300);
        config.setMaxWait(Duration.ofMillis(100));
        config.setRedisFailure(RedisFailurePolicy.REJECT);

        BudgetSettings settings = config.settings();

        assertThat(settings.limit()).isEqualTo(300);
        assertThat(settings.maxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.safetyMargin()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.minLimit()).isEqualTo(30);
        assertThat(settings.redisFailure()).isEqualTo(RedisFailurePolicy.REJECT);
    }

    @Test
    void theLateToleranceDefaultsToHalfTheSafetyMarginAndMayNotExceedIt() {
        BudgetGatewayFilterFactory.Config config = new BudgetGatewayFilterFactory.Config();
        config.setSafetyMargin(Duration.ofMillis(100));
        assertThat(config.settings().lateTolerance()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.settings().lead()).isEqualTo(BudgetSettings.DEFAULT_LEAD);

        config.setLateTolerance(Duration.ofMillis(101));

        assertThatThrownBy(config::settings)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("late-tolerance");
    }

    @Test
    void routesNamingTheSameBudgetShareOneLimiter() {
        BudgetGatewayFilterFactory.Config config = new BudgetGatewayFilterFactory.Config();
        config.setName("coupons-use");

        factory.apply(config);
        factory.apply(config);

        assertThat(limiters.health()).hasSize(1);
        assertThat(meters.get("payegress.budget.mode")
                        .tag("budget", "coupons-use")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(meters.get("payegress.budget.effective.limit")
                        .tag("budget", "coupons-use")
                        .gauge()
                        .value())
                .isEqualTo(500.0);
    }
}
