package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {

    private static final long SECOND = 1_000_000;

    /** limit 500, floor 100, +10/s, x0.5 per signal, cooldown 1 s, at t = 0. */
    private final AdaptiveLimit limit = new AdaptiveLimit(500, 100, 10, 0.5, SECOND, 0);

    @Test
    void startsAtTheConfiguredLimit() {
        assertThat(limit.at(0)).isEqualTo(500);
        assertThat(limit.at(60 * SECOND)).isEqualTo(500);
    }

    @Test
    void throttlingMultipliesTheLimitByTheFactor() {
        assertThat(limit.throttled(0)).isEqualTo(250);
        assertThat(limit.at(0)).isEqualTo(250);
    }

    @Test
    void signalsWithinTheCooldownCountOnce() {
        limit.throttled(0);

        assertThat(limit.throttled(SECOND / 2)).isEqualTo(255);
        assertThat(limit.throttled(SECOND + SECOND / 2)).isEqualTo(132.5);
    }

    @Test
    void neverFallsBelowTheFloor() {
        for (int i = 0; i < 10; i++) {
            limit.throttled(i * SECOND);
        }

        assertThat(limit.at(9 * SECOND)).isEqualTo(100);
    }

    @Test
    void recoversLinearlyToJustBelowWhereTheSignalCameThenAfterTheHoldUpToTheLimit() {
        limit.throttled(0);

        assertThat(limit.at(5 * SECOND)).isEqualTo(300);
        assertThat(limit.at(25 * SECOND)).isEqualTo(500 * AdaptiveLimit.CEILING_FACTOR);
        assertThat(limit.at(AdaptiveLimit.CEILING_HOLD_MICROS - 1)).isEqualTo(500 * AdaptiveLimit.CEILING_FACTOR);
        assertThat(limit.at(AdaptiveLimit.CEILING_HOLD_MICROS)).isEqualTo(500);
    }

    @Test
    void aQuotaSharedWithAnotherSystemIsFoundAndKeptWithoutFurtherSignals() {
        AdaptiveLimit shared = new AdaptiveLimit(500, 50, 10, 0.9, SECOND, 0);
        long now = 0;
        int signals = 0;
        for (int second = 0; second < 60; second++) {
            now = second * SECOND;
            if (shared.at(now) * 0.91 > 400) {
                shared.throttled(now);
                signals++;
            }
        }

        assertThat(signals).isBetween(1, 5);
        assertThat(shared.at(now) * 0.91).isBetween(0.9 * 400, 400.0);
    }

    @Test
    void refusesAFloorAboveTheLimit() {
        assertThatThrownBy(() -> new AdaptiveLimit(10, 20, 1, 0.5, SECOND, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
