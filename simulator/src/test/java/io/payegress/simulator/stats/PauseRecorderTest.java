package io.payegress.simulator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PauseRecorderTest {

    @Test
    void aFullCollectionIsRecordedAndResetForgetsIt() {
        try (PauseRecorder pauses = PauseRecorder.start()) {
            System.gc();

            await().atMost(Duration.ofSeconds(30)).until(() -> pauses.count() > 0);
            assertThat(pauses.longestMillis()).isNotNegative();

            pauses.reset();
            assertThat(pauses.count()).isZero();
            assertThat(pauses.longestMillis()).isZero();
        }
    }
}
