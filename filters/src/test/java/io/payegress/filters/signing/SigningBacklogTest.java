package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningBacklogTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private SigningBacklog backlog(long maxQueueMillis, int maxPending) {
        return new SigningBacklog(new SigningSettings(Duration.ofMillis(maxQueueMillis), maxPending), nanos::get);
    }

    @ParameterizedTest(name = "max-pending {0}, {1} pending: admitted {2}")
    @CsvSource({
        "1, 0, true",
        "1, 1, false",
        "3, 2, true",
        "3, 3, false",
        "1000, 999, true",
        "1000, 1000, false",
    })
    void refusesAnArrivalOnceMaxPendingArePending(int maxPending, int alreadyPending, boolean admitted) {
        SigningBacklog backlog = backlog(1000, maxPending);
        for (int i = 0; i < alreadyPending; i++) {
            assertThat(backlog.arrive()).isNotNull();
        }

        assertThat(backlog.arrive() != null).isEqualTo(admitted);
        assertThat(backlog.pending()).isEqualTo(admitted ? alreadyPending + 1 : alreadyPending);
    }

    @ParameterizedTest(name = "max-queue-time {0} ms, waited {1} ns: stale {2}")
    @CsvSource({
        "1000, 0, false",
        "1000, 999999999, false",
        "1000, 1000000000, false",
        "1000, 1000000001, true",
        "1000, 8000000000, true",
        "50, 50000001, true",
        "50, 49000000, false",
    })
    void refusesAQueuedRequestThatWaitedLongerThanMaxQueueTime(long maxQueueMillis, long waitedNanos, boolean stale) {
        SigningBacklog.Place place = backlog(maxQueueMillis, 10).arrive();
        nanos.addAndGet(waitedNanos);

        SigningBacklog.Start start = place.start();

        assertThat(start.stale()).isEqualTo(stale);
        assertThat(start.waited()).isEqualTo(Duration.ofNanos(waitedNanos));
    }

    @Test
    void leavingFreesThePlaceOnceEvenWhenCalledTwice() {
        SigningBacklog backlog = backlog(1000, 2);
        SigningBacklog.Place first = backlog.arrive();
        backlog.arrive();
        assertThat(backlog.arrive()).isNull();

        first.leave();
        first.leave();

        assertThat(backlog.pending()).isEqualTo(1);
        assertThat(backlog.arrive()).isNotNull();
        assertThat(backlog.arrive()).isNull();
    }

    @Test
    void pendingReturnsToZeroWhenEveryPlaceLeaves() {
        SigningBacklog backlog = backlog(1000, 5);
        List<SigningBacklog.Place> places = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            places.add(backlog.arrive());
        }

        places.forEach(SigningBacklog.Place::leave);

        assertThat(backlog.pending()).isZero();
    }

    @Test
    void aClockThatStepsBackCountsAsNoWait() {
        SigningBacklog.Place place = backlog(1000, 1).arrive();
        nanos.addAndGet(-5_000_000_000L);

        assertThat(place.start()).isEqualTo(new SigningBacklog.Start(Duration.ZERO, false));
    }

    @ParameterizedTest(name = "max-queue-time {0} ms, max-pending {1}")
    @CsvSource({"0, 10", "-1, 10", "1000, 0", "1000, -5"})
    void settingsRefuseNonPositiveBounds(long maxQueueMillis, int maxPending) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SigningSettings(Duration.ofMillis(maxQueueMillis), maxPending));
    }
}
