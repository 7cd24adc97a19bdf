package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backlog with a monotonic clock and a wall clock the test moves together by hand. */
class SigningBacklogTest {

    private static final Instant DEADLINE_8S = Instant.parse("2026-11-27T00:00:08Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));

    private SigningBacklog backlog(long minTimeLeftMillis, int maxPending) {
        return new SigningBacklog(
                new SigningSettings(Duration.ofMillis(minTimeLeftMillis), maxPending), nanos::get, clock);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        clock.advance(duration);
    }

    /** A backlog in front of two signing threads: min-time-left 1 s, room for 10,000. */
    private SigningBacklog twoThreads() {
        return new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 10_000), nanos::get, clock, 2);
    }

    /** {@code count} arrivals with the 8 s deadline, each admitted. */
    private static List<SigningBacklog.Place> arrive(SigningBacklog backlog, int count) {
        List<SigningBacklog.Place> places = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SigningBacklog.Place place = backlog.arrive(DEADLINE_8S);
            assertThat(place).isNotNull();
            places.add(place);
        }
        return places;
    }

    /** The first {@code count} places picked up by a signing thread and left in turn, the i-th after {@code gap(i)}. */
    private void pickUpInTurn(List<SigningBacklog.Place> places, int count, IntFunction<Duration> gap) {
        for (int i = 0; i < count; i++) {
            advance(gap.apply(i));
            places.get(i).start();
            places.get(i).leave();
        }
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
            assertThat(backlog.arrive(DEADLINE_8S)).isNotNull();
        }

        assertThat(backlog.arrive(DEADLINE_8S) != null).isEqualTo(admitted);
        assertThat(backlog.pending()).isEqualTo(admitted ? alreadyPending + 1 : alreadyPending);
    }

    @ParameterizedTest(name = "min-time-left {0} ms, deadline 8 s after arrival, waited {1} ns: stale {2}")
    @CsvSource({
        "1000, 0, false",
        "1000, 300000000, false",
        "1000, 1500000000, false",
        "1000, 6999999999, false",
        "1000, 7000000000, false",
        "1000, 7000000001, true",
        "1000, 8000000000, true",
        "1000, 9000000000, true",
        "3000, 4999999999, false",
        "3000, 5000000001, true",
        "0, 8000000000, false",
        "0, 8000000001, true",
    })
    void refusesAtItsTurnARequestWithLessThanMinTimeLeftBeforeItsDeadline(
            long minTimeLeftMillis, long waitedNanos, boolean stale) {
        SigningBacklog.Place place = backlog(minTimeLeftMillis, 10).arrive(DEADLINE_8S);
        advance(Duration.ofNanos(waitedNanos));

        SigningBacklog.Start start = place.start();

        assertThat(start.stale()).isEqualTo(stale);
        assertThat(start.waited()).isEqualTo(Duration.ofNanos(waitedNanos));
    }

    @Test
    void aLateTurnWithPlentyOfTimeBeforeTheDeadlineIsNotStale() {
        SigningBacklog.Place place = backlog(1000, 10).arrive(clock.instant().plusMillis(7500));
        advance(Duration.ofMillis(1500));

        assertThat(place.start()).isEqualTo(new SigningBacklog.Start(Duration.ofMillis(1500), false));
    }

    @Test
    void aRequestWithoutADeadlineIsNeverStale() {
        SigningBacklog.Place place = backlog(1000, 10).arrive(null);
        advance(Duration.ofHours(1));

        assertThat(place.start()).isEqualTo(new SigningBacklog.Start(Duration.ofHours(1), false));
    }

    @Test
    void leavingFreesThePlaceOnceEvenWhenCalledTwice() {
        SigningBacklog backlog = backlog(1000, 2);
        SigningBacklog.Place first = backlog.arrive(DEADLINE_8S);
        backlog.arrive(DEADLINE_8S);
        assertThat(backlog.arrive(DEADLINE_8S)).isNull();

        first.leave();
        first.leave();

        assertThat(backlog.pending()).isEqualTo(1);
        assertThat(backlog.arrive(DEADLINE_8S)).isNotNull();
        assertThat(backlog.arrive(DEADLINE_8S)).isNull();
    }

    @Test
    void pendingReturnsToZeroWhenEveryPlaceLeaves() {
        SigningBacklog backlog = backlog(1000, 5);
        List<SigningBacklog.Place> places = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            places.add(backlog.arrive(DEADLINE_8S));
        }

        places.forEach(SigningBacklog.Place::leave);

        assertThat(backlog.pending()).isZero();
    }

    @Test
    void aClockThatStepsBackCountsAsNoWait() {
        SigningBacklog.Place place = backlog(1000, 1).arrive(DEADLINE_8S);
        nanos.addAndGet(-5_000_000_000L);

        assertThat(place.start()).isEqualTo(new SigningBacklog.Start(Duration.ZERO, false));
    }

    @ParameterizedTest(name = "min-time-left {0} ms, max-pending {1}")
    @CsvSource({"-1, 10", "-1000, 10", "1000, 0", "1000, -5"})
    void settingsRefuseANegativeMinTimeLeftAndANonPositiveMaxPending(long minTimeLeftMillis, int maxPending) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SigningSettings(Duration.ofMillis(minTimeLeftMillis), maxPending));
    }

    @Test
    void settingsAcceptAZeroMinTimeLeft() {
        assertThat(new SigningSettings(Duration.ZERO, 1).minTimeLeft()).isZero();
    }

    @Test
    void refusesAnArrivalWhoseTurnWouldComeTooLateAtTheBacklogsMeasuredDrainPace() {
        SigningBacklog backlog = twoThreads();
        List<SigningBacklog.Place> places = arrive(backlog, 20);
        assertThat(backlog.hopeless(DEADLINE_8S)).as("nothing measured yet").isFalse();
        advance(Duration.ofSeconds(7)); // a starved stretch: the first requests wait 7 s for a signing thread
        pickUpInTurn(places, 10, i -> Duration.ofMillis(50));
        arrive(backlog, 129);
        Instant deadline = clock.instant().plusMillis(7_500);

        assertThat(backlog.hopeless(deadline))
                .as("139 pending, one leaving every 50 ms, and the requests picked up waited over 7 s: its turn"
                        + " comes 6.95 s from now, 0.55 s before its deadline 7.5 s from now")
                .isTrue();
        assertThat(backlog.hopeless(deadline.plusMillis(500)))
                .as("with a deadline 500 ms later it has 1.05 s left at its turn")
                .isFalse();
        assertThat(backlog.hopeless(null)).as("never without a deadline").isFalse();
    }

    @Test
    void oneStallOfTheSigningThreadsDoesNotRefuseABacklogWhoseRequestsWaitLittle() {
        SigningBacklog backlog = twoThreads();
        List<SigningBacklog.Place> places = arrive(backlog, 20);
        // the threads got no CPU for a second, once
        pickUpInTurn(places, 10, i -> Duration.ofMillis(i == 2 ? 1_000 : 5));
        arrive(backlog, 129);
        Instant deadline = clock.instant().plusMillis(7_500);

        assertThat(backlog.hopeless(deadline))
                .as("the stall makes the pace say 139 x 54 ms = 7.5 s, but the requests picked up waited about 1 s")
                .isFalse();
    }

    @Test
    void aBacklogThatEmptiesBetweenRequestsMeasuresNoPaceSoALightLoadIsNeverRefused() {
        SigningBacklog backlog = twoThreads();
        for (int i = 0; i < 50; i++) {
            SigningBacklog.Place place = backlog.arrive(DEADLINE_8S);
            assertThat(place).isNotNull();
            advance(Duration.ofSeconds(2));
            place.leave();
        }

        assertThat(backlog.hopeless(DEADLINE_8S.plusSeconds(100))).isFalse();
    }

    @Test
    void aPaceMeasuredInAnEarlierBurstIsForgottenOnceTheBacklogDrainsSoALaterBurstIsNotRefusedOnIt() {
        SigningBacklog backlog = twoThreads();
        List<SigningBacklog.Place> slowBurst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slowBurst.add(backlog.arrive(DEADLINE_8S.plusSeconds(100)));
        }
        for (SigningBacklog.Place place : slowBurst) {
            advance(Duration.ofSeconds(1)); // a starved minute: one signature a second
            place.leave();
        }
        assertThat(backlog.pending()).isZero();

        arrive(backlog, 20);

        assertThat(backlog.hopeless(DEADLINE_8S))
                .as("20 pending at the old pace of 1 s would be 20 s, but that pace is gone with the burst")
                .isFalse();
    }

    @Test
    void aReservationTakesAPlaceUntilItsRequestArrivesOnItOrItIsReleased() {
        SigningBacklog backlog = backlog(1000, 2);
        SigningBacklog.Reservation used = backlog.reserve();
        SigningBacklog.Reservation released = backlog.reserve();
        assertThat(used).isNotNull();
        assertThat(released).isNotNull();
        assertThat(backlog.reserve()).as("both places reserved").isNull();
        assertThat(backlog.arrive(DEADLINE_8S))
                .as("nor can an arrival without one take a place")
                .isNull();

        SigningBacklog.Place place = used.arrive(DEADLINE_8S);
        assertThat(place).isNotNull();
        assertThat(backlog.pending())
                .as("arriving on the reservation takes no second place")
                .isEqualTo(2);
        released.release();
        released.release();
        used.release(); // the request ends after signing: its place is the one it arrived on
        assertThat(backlog.pending()).isEqualTo(1);

        place.leave();
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void aSecondArrivalOnAUsedReservationTakesAPlaceOfItsOwnAsARetryDoes() {
        SigningBacklog backlog = backlog(1000, 2);
        SigningBacklog.Reservation reservation = backlog.reserve();
        SigningBacklog.Place first = reservation.arrive(DEADLINE_8S);
        first.leave();

        SigningBacklog.Place retry = reservation.arrive(DEADLINE_8S);

        assertThat(retry).isNotNull();
        assertThat(backlog.pending()).isEqualTo(1);
        retry.leave();
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void reservationsCountAheadOfAnArrivalButTheDrainPaceIsMeasuredOnlyWhileTheThreadsHaveWork() {
        SigningBacklog backlog = twoThreads();
        List<SigningBacklog.Place> places = arrive(backlog, 12);
        advance(Duration.ofSeconds(7));
        pickUpInTurn(places, 10, i -> Duration.ofMillis(50));
        for (int i = 0; i < 137; i++) {
            assertThat(backlog.reserve()).isNotNull();
        }
        Instant deadline = clock.instant().plusMillis(7_500);

        assertThat(backlog.hopeless(deadline))
                .as("2 queued and 137 on their way, one leaving every 50 ms: 6.95 s ahead, 0.55 s before its deadline")
                .isTrue();

        places.get(10).leave();
        places.get(11).leave();
        assertThat(backlog.hopeless(deadline))
                .as("the threads ran dry while the reserved were still on their way: the pace is forgotten")
                .isFalse();
    }
}
