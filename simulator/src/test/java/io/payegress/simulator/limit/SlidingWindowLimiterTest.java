package io.payegress.simulator.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlidingWindowLimiterTest {

    private static final long MS = 1_000_000L;

    static Stream<Arguments> schedules() {
        return Stream.of(
                // limit, arrival times in ms, expected accept pattern, max arrivals, max accepted
                Arguments.of(3, new long[] {0, 0, 0, 0}, "YYYN", 4, 3),
                Arguments.of(2, new long[] {0, 500, 999, 1000, 1499, 1500}, "YYNYNY", 4, 2),
                Arguments.of(1, new long[] {0, 999, 1000, 1999, 2000}, "YNYNY", 2, 1),
                Arguments.of(2, new long[] {0, 10, 20, 30, 1010, 1020}, "YYNNYY", 4, 2),
                Arguments.of(0, new long[] {0, 1000}, "NN", 1, 0));
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void acceptsAtMostTheLimitInAnySlidingSecondAndTracksExactMaxima(
            int limit, long[] arrivalsMs, String expected, int maxArrivals, int maxAccepted) {
        AtomicLong ticker = new AtomicLong(7_000_000_000L);
        long origin = ticker.get();
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(limit, ticker::get);
        StringBuilder pattern = new StringBuilder();
        for (long at : arrivalsMs) {
            ticker.set(origin + at * MS);
            pattern.append(limiter.tryAcquire() ? 'Y' : 'N');
        }

        assertThat(pattern.toString()).isEqualTo(expected);
        assertThat(limiter.maxArrivalsInAnySecond()).isEqualTo(maxArrivals);
        assertThat(limiter.maxAcceptedInAnySecond()).isEqualTo(maxAccepted);
    }

    @Test
    void remembersWhenTheFirstSlidingSecondOverTheLimitEndedCountingFromTheLastReset() {
        AtomicLong ticker = new AtomicLong(5_000_000_000L);
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(2, ticker::get);
        ticker.addAndGet(100 * MS);
        limiter.tryAcquire();
        limiter.tryAcquire();
        assertThat(limiter.firstOverLimitMillis()).isEqualTo(-1);

        ticker.addAndGet(900 * MS);
        limiter.reset();
        ticker.addAndGet(10 * MS);
        limiter.tryAcquire();
        limiter.tryAcquire();
        ticker.addAndGet(240 * MS);
        limiter.tryAcquire();
        ticker.addAndGet(5 * MS);
        limiter.tryAcquire();

        assertThat(limiter.firstOverLimitMillis()).isEqualTo(250);
    }

    @Test
    void neverAcceptsMoreThanTheLimitInAnyWindowUnderDenseTraffic() {
        AtomicLong ticker = new AtomicLong();
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(50, ticker::get);
        List<Long> accepted = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ticker.addAndGet(317_000L * (1 + i % 7));
            if (limiter.tryAcquire()) {
                accepted.add(ticker.get());
            }
        }
        int worst = 0;
        for (int from = 0, to = 0; to < accepted.size(); to++) {
            while (accepted.get(to) - accepted.get(from) >= 1_000_000_000L) {
                from++;
            }
            worst = Math.max(worst, to - from + 1);
        }

        assertThat(worst).isEqualTo(50);
        assertThat(limiter.maxAcceptedInAnySecond()).isEqualTo(50);
    }

    @Test
    void resetForgetsWindowsAndMaximaButKeepsTheLimit() {
        AtomicLong ticker = new AtomicLong();
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(1, ticker::get);
        limiter.tryAcquire();
        limiter.tryAcquire();

        limiter.reset();

        assertThat(limiter.maxArrivalsInAnySecond()).isZero();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.limit()).isEqualTo(1);
    }
}
