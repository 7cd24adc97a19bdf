package io.payegress.filters.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The allowance for the kernel's tick, learned from the ages it reports: the coarsest tick until a finer clock shows,
 * then the smallest positive age plus a millisecond, never rising again.
 */
class KernelTickTest {

    private final KernelTick tick = new KernelTick();

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void withoutAPositiveAgeTheCoarsestTickIsAllowed() {
        assertThat(tick.atLeastNanos(0)).isZero();
        assertThat(tick.allowanceNanos()).isEqualTo(millis(10));
        assertThat(tick.atLeastNanos(30)).as("HZ=100 reports tens of ms").isEqualTo(millis(20));
        assertThat(tick.allowanceNanos()).isEqualTo(millis(10));
    }

    @Test
    void aKernelAtTwoHundredFiftyHertzShowsItsFourMillisecondTick() {
        assertThat(tick.atLeastNanos(8))
                .as("two ticks seen first: 8 + 1 allowed")
                .isEqualTo(0);
        assertThat(tick.allowanceNanos()).isEqualTo(millis(9));
        tick.atLeastNanos(4);
        assertThat(tick.allowanceNanos()).isEqualTo(millis(5));
        assertThat(tick.atLeastNanos(24)).isEqualTo(millis(19));
        tick.atLeastNanos(12);
        assertThat(tick.allowanceNanos()).as("larger ages never raise it again").isEqualTo(millis(5));
    }

    @Test
    void everyLinuxClockIsCoveredByItsSmallestAgePlusAMillisecond() {
        // HZ=100, 250, 300, 1000: an age of n jiffies is reported as ceil(n * 1000 / HZ) ms, the real age is more
        // than n - 1 ticks; the allowance learned from one jiffy must cover the excess at every n
        for (int hz : new int[] {100, 250, 300, 1000}) {
            KernelTick learned = new KernelTick();
            learned.atLeastNanos(reported(1, hz));
            for (int n = 1; n <= 5_000; n++) {
                double realAtLeastNanos = (n - 1) * 1e9 / hz;
                assertThat((double) learned.atLeastNanos(reported(n, hz)))
                        .as("HZ=%d, %d jiffies", hz, n)
                        .isLessThanOrEqualTo(realAtLeastNanos);
            }
        }
    }

    /** Linux's jiffies_to_msecs: n jiffies in milliseconds, rounded up. */
    private static long reported(int jiffies, int hz) {
        return (jiffies * 1000L + hz - 1) / hz;
    }
}
