package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoreClockTest {

    private static final long MS = 1_000_000L;
    private static final long STORE = 5_000_000 * MS;

    @Test
    void withoutHistoryASlotLiesBetweenSendingPlusDelayAndTheAnswerPlusDelay() {
        StoreClock clock = new StoreClock();

        StoreClock.Offset offset = clock.sample(100 * MS, 130 * MS, STORE);

        assertThat(offset.earliestLocal(STORE + 40 * MS)).isEqualTo(140 * MS);
        assertThat(offset.latestLocal(STORE + 40 * MS)).isEqualTo(170 * MS);
        assertThat(offset.uncertaintyNanos()).isEqualTo(30 * MS);
    }

    @Test
    void aFastCallKeepsASlowCallsSlotNarrow() {
        StoreClock clock = new StoreClock();
        clock.sample(0, MS, STORE + 500_000);

        StoreClock.Offset slow = clock.sample(10 * MS, 210 * MS, STORE + 10 * MS + 500_000 + 100 * MS);

        long drift = (long) Math.ceil(210 * MS * StoreClock.DRIFT) + 1;
        assertThat(slow.uncertaintyNanos()).isEqualTo(MS + 2 * drift);
        assertThat(slow.uncertaintyNanos()).isLessThan(4 * MS);
    }

    @Test
    void boundsWidenWithTheDriftAllowanceOverTime() {
        StoreClock clock = new StoreClock();
        clock.sample(0, MS, STORE);

        StoreClock.Offset later = clock.sample(10_000 * MS, 12_000 * MS, STORE + 11_000 * MS);

        long drift = (long) Math.ceil(12_000 * MS * StoreClock.DRIFT) + 1;
        assertThat(later.uncertaintyNanos()).isEqualTo(MS + 2 * drift);
    }

    @Test
    void aStoreClockThatSteppedRestartsFromTheNewCall() {
        StoreClock clock = new StoreClock();
        clock.sample(0, MS, STORE);

        StoreClock.Offset stepped = clock.sample(10 * MS, 12 * MS, STORE + 10 * MS + 300 * MS);

        assertThat(clock.steps()).isEqualTo(1);
        assertThat(stepped.low()).isEqualTo(STORE + 298 * MS);
        assertThat(stepped.high()).isEqualTo(STORE + 300 * MS);
    }

    @Test
    void theBoundsAlwaysHoldTheTrueOffsetWhenTheClocksDriftWithinTheAllowance() {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 200; run++) {
            StoreClock clock = new StoreClock();
            double rate = (random.nextDouble() * 2 - 1) * StoreClock.DRIFT;
            long base = random.nextLong(-1_000_000 * MS, 1_000_000 * MS);
            long local = 0;
            for (int call = 0; call < 500; call++) {
                local += random.nextLong(MS / 10, 200 * MS);
                long sent = local;
                long received = sent + random.nextLong(MS / 10, 300 * MS);
                long decided = random.nextLong(sent, received + 1);
                long trueOffset = base + (long) (decided * rate);
                local = received;

                StoreClock.Offset offset = clock.sample(sent, received, decided + trueOffset);

                assertThat(offset.low()).isLessThanOrEqualTo(trueOffset);
                assertThat(offset.high()).isGreaterThanOrEqualTo(trueOffset);
            }
            assertThat(clock.steps()).isZero();
        }
    }
}
