package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentQuantileTest {

    private static final long MS = 1_000_000L;

    @Test
    void isTheMaximumWhileThereAreFewerObservationsThanOneOverTheFraction() {
        RecentQuantile quantile = new RecentQuantile(512, 5_000 * MS, 0.99);
        quantile.observe(3 * MS, 0);
        quantile.observe(700 * MS, 0);
        quantile.observe(5 * MS, 0);

        assertThat(quantile.at(0)).isEqualTo(700 * MS);
    }

    @Test
    void oneOutlierAmongManyDoesNotHoldItUp() {
        RecentQuantile quantile = new RecentQuantile(512, 5_000 * MS, 0.99);
        quantile.observe(3_000 * MS, 0);
        for (int i = 0; i < 199; i++) {
            quantile.observe(10 * MS, i * MS);
        }

        assertThat(quantile.at(200 * MS)).isEqualTo(10 * MS);
    }

    @Test
    void followsASlowSpellOfMoreThanTheFractionAtOnce() {
        RecentQuantile quantile = new RecentQuantile(512, 5_000 * MS, 0.99);
        for (int i = 0; i < 100; i++) {
            quantile.observe(10 * MS, i * MS);
        }
        for (int i = 0; i < 5; i++) {
            quantile.observe(800 * MS, 100 * MS);
        }

        assertThat(quantile.at(100 * MS)).isEqualTo(800 * MS);
    }

    @Test
    void forgetsObservationsOlderThanTheHorizonOrPushedOutByNewerOnes() {
        RecentQuantile quantile = new RecentQuantile(4, 5_000 * MS, 0.99);
        quantile.observe(900 * MS, 0);
        assertThat(quantile.at(5_001 * MS)).as("older than the horizon").isZero();

        for (int i = 0; i < 4; i++) {
            quantile.observe(i * MS, 10 * MS);
        }
        assertThat(quantile.at(10 * MS)).as("the 900 ms was pushed out").isEqualTo(3 * MS);
    }

    @Test
    void refusesSettingsThatMeanNothing() {
        assertThatThrownBy(() -> new RecentQuantile(0, MS, 0.99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecentQuantile(8, 0, 0.99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecentQuantile(8, MS, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
