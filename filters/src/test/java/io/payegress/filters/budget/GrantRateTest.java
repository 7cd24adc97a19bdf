package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GrantRateTest {

    private static final long MS = 1_000_000L;

    @Test
    void countsTheGrantsOfTheLastSecondPerTenant() {
        GrantRate rate = new GrantRate();
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
        GrantRate rate = new GrantRate();
        for (int i = 0; i < 10; i++) {
            rate.record("a", i * 100 * MS);
        }
        rate.record("a", 1_100 * MS);

        assertThat(rate.perSecond("a", 1_250 * MS)).isCloseTo(10 * 0.75 + 1, within(1e-9));
    }

    @Test
    void forgetsGrantsOlderThanTwoSeconds() {
        GrantRate rate = new GrantRate();
        rate.record("a", 0);
        assertThat(rate.perSecond("a", 2_500 * MS)).isZero();
    }
}
