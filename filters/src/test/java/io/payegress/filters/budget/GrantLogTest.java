package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payegress.filters.budget.BudgetStore.Count;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GrantLogTest {

    private static final long WINDOW = 1_000_000;
    private final GrantLog log = new GrantLog(WINDOW);

    @Test
    void grantsUpToTheLimitAtOnceThenOneWindowAfterTheOldest() {
        for (int i = 0; i < 3; i++) {
            log.record(log.nextSlot(100, 3), "a");
        }

        assertThat(log.nextSlot(100, 3)).isEqualTo(100 + WINDOW);
    }

    @Test
    void neverHasMoreThanTheLimitInAnySlidingWindow() {
        List<Long> slots = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 200; i++) {
            now += (i * 7919) % 40_000;
            log.trim(now);
            long slot = log.nextSlot(now, 10);
            log.record(slot, "t" + (i % 3));
            slots.add(slot);
        }

        for (int i = 10; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 10)).isGreaterThanOrEqualTo(WINDOW);
        }
    }

    @Test
    void aLowerLimitLooksFurtherBack() {
        for (int i = 0; i < 5; i++) {
            log.record(i * 1_000, "a");
        }

        assertThat(log.nextSlot(5_000, 5)).isEqualTo(WINDOW);
        assertThat(log.nextSlot(5_000, 3)).isEqualTo(2_000 + WINDOW);
    }

    @Test
    void trimmingForgetsGrantsOutsideEveryFutureWindowAndTheirCounts() {
        log.record(0, "a");
        log.record(10, "b");
        log.record(WINDOW + 5, "a");

        log.trim(WINDOW + 5);

        assertThat(log.size()).isEqualTo(2);
        assertThat(log.count("a")).isEqualTo(1);
        assertThat(log.count("b")).isEqualTo(1);
        log.trim(WINDOW + 10);
        assertThat(log.count("b")).isZero();
        assertThat(log.tenants()).containsExactly("a");
    }

    @Test
    void untaggedGrantsCountForTheWindowButForNoTenant() {
        log.record(0, "");

        assertThat(log.size()).isEqualTo(1);
        assertThat(log.tenants()).isEmpty();
        assertThat(log.nextSlot(0, 1)).isEqualTo(WINDOW);
    }

    @Test
    void grantsOfMixedReachesWithDeparturesReportedLateNeverPutMoreThanTheLimitInASecond() {
        Random random = new Random(7);
        int limit = 20;
        long now = 0;
        List<Long> arrivals = new ArrayList<>();
        Reports reports = new Reports();
        for (int i = 0; i < 5_000; i++) {
            now += random.nextInt(4_000);
            reports.deliverDue(log, now);
            log.trim(now);
            long tolerance = random.nextBoolean() ? 0 : random.nextInt(800_000);
            long slot = log.nextSlot(now, limit);
            String id = log.record(slot, WINDOW + tolerance, "t" + (i % 3));
            long arrival = slot + (tolerance == 0 ? 0 : random.nextInt((int) tolerance));
            arrivals.add(arrival);
            if (random.nextInt(4) > 0) {
                reports.add(arrival + random.nextInt(300_000), id, arrival + WINDOW, Count.AT_MOST);
            }
        }

        assertNoMoreThanInAWindow(arrivals, limit);
    }

    @Test
    void grantsShortenedByTheirAnswersNeverPutMoreThanTheLimitInASecond() {
        Random random = new Random(11);
        int limit = 20;
        long margin = 100_000;
        long now = 0;
        List<Long> arrivals = new ArrayList<>();
        Reports reports = new Reports();
        for (int i = 0; i < 5_000; i++) {
            now += random.nextInt(4_000);
            reports.deliverDue(log, now);
            log.trim(now);
            long slot = log.nextSlot(now, limit);
            String id = log.record(slot, WINDOW + margin, "t" + (i % 3));
            long departure = slot + random.nextInt((int) margin / 2);
            long arrival = departure + random.nextInt((int) margin / 2);
            arrivals.add(arrival);
            reports.add(departure + random.nextInt(50_000), id, departure + WINDOW + margin / 2, Count.AT_MOST);
            long answer = arrival + random.nextInt(random.nextBoolean() ? 5_000 : 300_000);
            reports.add(answer + random.nextInt(300_000), id, answer + WINDOW, Count.EXACTLY);
        }

        assertNoMoreThanInAWindow(arrivals, limit);
    }

    @Test
    void anAnswerMovesAGrantToTheAnswerPlusTheWindowSoonerOrLater() {
        String early = log.record(0, WINDOW + 100_000, "a");
        String late = log.record(0, WINDOW + 100_000, "a");
        log.departed(early, 10_000 + WINDOW, Count.AT_MOST, 10_000);
        log.departed(late, 10_000 + WINDOW, Count.AT_MOST, 10_000);

        log.departed(early, 15_000 + WINDOW, Count.EXACTLY, 15_000);
        log.departed(late, 250_000 + WINDOW, Count.EXACTLY, 250_000);

        assertThat(log.nextSlot(0, 1))
                .as("the later answer keeps its grant counting until it plus the window")
                .isEqualTo(250_000 + WINDOW);
        assertThat(log.nextSlot(0, 2)).isEqualTo(15_000 + WINDOW);
        log.trim(15_000 + WINDOW);
        assertThat(log.size())
                .as("the earlier answer freed its place at its own time")
                .isEqualTo(1);
    }

    @Test
    void aFailureOnlyLengthensAGrantsCount() {
        String id = log.record(0, WINDOW + 100_000, "a");
        log.departed(id, 5_000 + WINDOW, Count.AT_MOST, 5_000);

        log.departed(id, 1_000 + WINDOW, Count.AT_LEAST, 1_000);
        assertThat(log.nextSlot(0, 1)).isEqualTo(5_000 + WINDOW);

        log.departed(id, 900_000 + WINDOW, Count.AT_LEAST, 900_000);
        assertThat(log.nextSlot(0, 1)).isEqualTo(900_000 + WINDOW);
    }

    @Test
    void aGrantTrimmedBeforeItsLateAnswerCameCountsAgainUntilTheAnswerPlusTheWindow() {
        String id = log.record(0, WINDOW, "a");
        log.trim(WINDOW);
        assertThat(log.size()).isZero();

        log.departed(id, WINDOW + 200_000, Count.EXACTLY, WINDOW + 100_000);

        assertThat(log.size()).isEqualTo(1);
        assertThat(log.count("a")).isEqualTo(1);
        assertThat(log.nextSlot(WINDOW + 100_000, 1)).isEqualTo(WINDOW + 200_000);
        log.departed("0|99|b", WINDOW, Count.EXACTLY, WINDOW + 100_000);
        assertThat(log.size())
                .as("an answer already out of every window adds nothing")
                .isEqualTo(1);
    }

    /**
     * Calls take longer on their way to WeChat than the margin allows for (up to 300 ms after leaving, where the margin
     * covers 50 ms) and their answers are reported soon after they come, as a replica reports them with its next call:
     * counted from their answers, they still never put more than the limit in a second. Counted only from their
     * departures (the answers ignored when later), they do.
     */
    @Test
    void grantsCountedFromLateAnswersNeverPutMoreThanTheLimitInASecondWhenTheWayTakesLongerThanTheMargin() {
        assertNoMoreThanInAWindow(arrivalsWithLongTransits(true), 20);
        List<Long> departuresOnly = arrivalsWithLongTransits(false);
        assertThatThrownBy(() -> assertNoMoreThanInAWindow(departuresOnly, 20))
                .as("the same calls counted from their departures alone")
                .isInstanceOf(AssertionError.class);
    }

    private static List<Long> arrivalsWithLongTransits(boolean answersCount) {
        GrantLog log = new GrantLog(WINDOW);
        Random random = new Random(13);
        int limit = 20;
        long margin = 100_000;
        long horizon = 20_000;
        long now = 0;
        List<Long> arrivals = new ArrayList<>();
        Reports reports = new Reports();
        for (int i = 0; i < 200_000 && arrivals.size() < 3_000; i++) {
            now += random.nextInt(2_000);
            reports.deliverDue(log, now);
            log.trim(now);
            long slot = log.nextSlot(now, limit);
            if (slot > now + horizon) {
                continue;
            }
            String id = log.record(slot, WINDOW + margin, "t" + (i % 3));
            long departure = slot + random.nextInt((int) margin / 2);
            long arrival = departure + random.nextInt(random.nextInt(4) == 0 ? 300_000 : 5_000);
            arrivals.add(arrival);
            reports.add(departure + random.nextInt(20_000), id, departure + WINDOW + margin / 2, Count.AT_MOST);
            if (answersCount) {
                long answer = arrival + random.nextInt(20_000);
                reports.add(answer + random.nextInt(20_000), id, answer + WINDOW, Count.EXACTLY);
            }
        }
        return arrivals;
    }

    /** Reported departures and answers, handed to a log once their time comes, as a replica's next call does. */
    private static final class Reports {

        private record Report(long atMicros, String id, long untilMicros, Count count) {}

        private final PriorityQueue<Report> due = new PriorityQueue<>(Comparator.comparingLong(Report::atMicros));

        void add(long atMicros, String id, long untilMicros, Count count) {
            due.add(new Report(atMicros, id, untilMicros, count));
        }

        void deliverDue(GrantLog log, long nowMicros) {
            while (!due.isEmpty() && due.peek().atMicros() <= nowMicros) {
                Report report = due.poll();
                log.departed(report.id(), report.untilMicros(), report.count(), nowMicros);
            }
        }
    }

    /** No {@code limit + 1} of the arrivals fall within less than one window of each other. */
    private static void assertNoMoreThanInAWindow(List<Long> arrivals, int limit) {
        List<Long> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        for (int i = limit; i < sorted.size(); i++) {
            assertThat(sorted.get(i) - sorted.get(i - limit))
                    .as("%d arrivals within less than a window", limit + 1)
                    .isGreaterThanOrEqualTo(WINDOW);
        }
    }
}
