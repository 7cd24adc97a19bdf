package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ToleranceTest {

    private static final long MS = 1_000_000L;

    private final BudgetSettings settings = BudgetSettings.defaults("coupons-use", 500);
    private final Tolerance tolerance = new Tolerance(settings);

    @Test
    void aReplicaThatKeepsUpPaysOnlyTheLateTolerance() {
        for (int i = 0; i < 1_000; i++) {
            tolerance.observe(i % 3 == 0 ? -2 * MS : 2 * MS, i * MS);
        }

        assertThat(tolerance.nanos(1_000 * MS))
                .isEqualTo(settings.lateTolerance().toNanos());
        assertThat(tolerance.reachMicros(1_000 * MS)).isEqualTo(settings.windowMicros());
    }

    @Test
    void aSlowSpellIsPaidForWithAQuarterMoreThanItsLatenessAtMostMaxWait() {
        for (int i = 0; i < 100; i++) {
            tolerance.observe(80 * MS, i * MS);
        }
        assertThat(tolerance.nanos(100 * MS)).isEqualTo(100 * MS);

        tolerance.observe(Duration.ofSeconds(10).toNanos(), 100 * MS);
        tolerance.observe(Duration.ofSeconds(10).toNanos(), 100 * MS);
        assertThat(tolerance.nanos(100 * MS)).isEqualTo(settings.maxWait().toNanos());
    }

    @Test
    void oneRequestHeldUpForSecondsAtAStepDoesNotMakeEveryGrantCountLongerAfterIt() {
        for (int i = 0; i < 50; i++) {
            tolerance.observe(2 * MS, i * MS);
        }
        tolerance.observe(3_000 * MS, 50 * MS);
        for (int i = 51; i < 400; i++) {
            tolerance.observe(2 * MS, i * MS);
        }

        assertThat(tolerance.reachMicros(400 * MS))
                .as("a few hundred quick grants after it, the reach is the window again")
                .isEqualTo(settings.windowMicros());
    }
}
