package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerTimeTest {

    private static final long MS = 1_000_000;

    private final AnswerTime answers = new AnswerTime(50 * MS);

    @Test
    void beforeAnyAnswerOnlyTheAllowanceIsUsual() {
        assertThat(answers.late(50 * MS, 0)).isFalse();
        assertThat(new AnswerTime(50 * MS).late(51 * MS, 0)).isTrue();
    }

    @Test
    void anAnswerLaterThanTheFastestRecentOnePlusTheAllowanceIsLate() {
        answers.late(100 * MS, 0);
        answers.late(80 * MS, MS);

        assertThat(answers.late(130 * MS, 2 * MS))
                .as("80 ms usual, 50 ms allowed")
                .isFalse();
        assertThat(answers.late(131 * MS, 3 * MS)).isTrue();
    }

    @Test
    void theUsualTimeRisesBackWithinTwoBuckets() {
        answers.late(10 * MS, 0);
        answers.late(200 * MS, AnswerTime.BUCKET_NANOS);
        assertThat(answers.late(200 * MS, AnswerTime.BUCKET_NANOS + MS))
                .as("the 10 ms answer of the last bucket is still the usual time")
                .isTrue();

        answers.late(200 * MS, 2 * AnswerTime.BUCKET_NANOS + 2 * MS);
        assertThat(answers.late(240 * MS, 2 * AnswerTime.BUCKET_NANOS + 3 * MS))
                .as("two buckets later the slower answers are the usual ones")
                .isFalse();
    }

    @Test
    void afterASilenceLongerThanTwoBucketsTheUsualTimeStartsAgain() {
        answers.late(200 * MS, 0);

        assertThat(answers.late(60 * MS, 3 * AnswerTime.BUCKET_NANOS)).isTrue();
    }
}
