package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TenantRateTest {

    private static final long MS = 1_000_000L;

    @Test
    void countsTheGrantsOfTheLastSecondPerTenant() {
        TenantRate rate = new TenantRate();
        for (int i = 0; i < 10; i++) {
            rate.record("a", i * 100 * MS);
        }
        rate.record("b", 0);

        assertThat(rate.perSecond("a", 999 * MS)).isEqualTo(10);
        assertThat(rate.perSecond("b", 999 * MS)).isEqualTo(1);
        assertThat(rate.perSecond("c", 999 * MS)).isZero();
    }

    @Test
    void weighsThePreviousSecondByHowMuchOfItIsStillInTheLastSecond() {
        TenantRate rate = new TenantRate();
        for (int i = 0; i < 10; i++) {
            rate.record("a", i * 100 * MS);
        }
        rate.record("a", 1_100 * MS);

        assertThat(rate.perSecond("a", 1_250 * MS)).isCloseTo(10 * 0.75 + 1, within(1e-9));
    }

    @Test
    void forgetsGrantsOlderThanTwoSeconds() {
        TenantRate rate = new TenantRate();
        rate.record("a", 0);
        assertThat(rate.perSecond("a", 2_500 * MS)).isZero();
    }

    @Test
    void overALongerPeriodCountsPerSecondOfIt() {
        TenantRate rate = new TenantRate(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            rate.record("a", i * 100 * MS);
        }

        assertThat(rate.perSecond("a", 1_999 * MS)).isEqualTo(5);
        assertThat(rate.perSecond("a", 3_000 * MS)).isCloseTo(10 * 0.5 / 2, within(1e-9));
        assertThat(rate.perSecond("a", 4_000 * MS)).isZero();
    }

    @Test
    void forgetsATenantOnlyOnceItsLastTwoPeriodsAreEmpty() {
        TenantRate rate = new TenantRate();
        rate.record("a", 0);

        rate.forgetIdle("a", 1_500 * MS);
        assertThat(rate.perSecond("a", 1_500 * MS)).isCloseTo(0.5, within(1e-9));
        rate.forgetIdle("a", 2_000 * MS);
        rate.record("a", 2_000 * MS);
        assertThat(rate.perSecond("a", 2_000 * MS)).as("counted afresh").isEqualTo(1);
    }

    @Test
    void anEventRecordedLateCountsInTheBucketItHappenedIn() {
        TenantRate rate = new TenantRate();
        rate.record("a", 0);
        rate.record("a", 900 * MS, 1_500 * MS);
        rate.record("a", 1_200 * MS, 1_500 * MS);
        rate.record("a", -200 * MS, 1_500 * MS);

        assertThat(rate.perSecond("a", 1_500 * MS))
                .as("two in the previous second, one in this; the one before the previous second is past the estimate")
                .isCloseTo(2 * 0.5 + 1, within(1e-9));
    }
}
