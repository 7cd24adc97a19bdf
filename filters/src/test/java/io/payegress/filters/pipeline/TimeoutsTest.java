package io.payegress.filters.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TimeoutsTest {

    @Test
    void passesOnWhatComesInTime() {
        StepVerifier.withVirtualTime(() ->
                        Timeouts.within(Mono.just("a").delayElement(Duration.ofMillis(499)), Duration.ofMillis(500)))
                .thenAwait(Duration.ofMillis(499))
                .expectNext("a")
                .verifyComplete();
    }

    @Test
    void failsWithATimeoutExceptionWhenNothingComesInTime() {
        StepVerifier.withVirtualTime(() -> Timeouts.within(Mono.never(), Duration.ofMillis(500)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .expectErrorSatisfies(error -> org.assertj.core.api.Assertions.assertThat(error)
                        .isInstanceOf(TimeoutException.class)
                        .hasMessage("no signal within 500 ms"))
                .verify();
    }
}
