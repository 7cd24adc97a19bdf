package io.payegress.filters.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The replica's drain: cutting off running work, and waiting for the work it watches. */
class DrainTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final IllegalStateException SHUTTING_DOWN = new IllegalStateException("shutting down");

    private final Drain drain = new Drain();

    @Test
    void workRunsUntouchedWhileTheDrainHasNotBegun() {
        StepVerifier.create(drain.cutOff(Mono.just("answer"), () -> SHUTTING_DOWN))
                .expectNext("answer")
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(drain.begun()).isFalse();
    }

    @Test
    void beginningTheDrainCancelsRunningWorkAndSignalsTheCutInstead() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Mono<String> running = Mono.<String>never().doOnCancel(() -> cancelled.set(true));

        StepVerifier.create(drain.cutOff(running, () -> SHUTTING_DOWN))
                .then(drain::begin)
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(SHUTTING_DOWN))
                .verify(TIMEOUT);
        assertThat(cancelled).isTrue();
        assertThat(drain.begun()).isTrue();
    }

    @Test
    void aCutThatGivesNothingLetsTheWorkFinish() {
        Sinks.One<String> answer = Sinks.one();

        StepVerifier.create(drain.cutOff(answer.asMono(), () -> null))
                .then(drain::begin)
                .then(() -> answer.tryEmitValue("written"))
                .expectNext("written")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void workArrivingAfterTheDrainBeganIsCutAtOnce() {
        drain.begin();
        drain.begin();

        StepVerifier.create(drain.cutOff(Mono.never(), () -> SHUTTING_DOWN))
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(SHUTTING_DOWN))
                .verify(TIMEOUT);
    }

    @Test
    void awaitFinishedWaitsForWorkGivenToFinishAndForWatchedWorkWhileSubscribed() throws InterruptedException {
        Sinks.Empty<Void> release = Sinks.empty();
        Sinks.Empty<Void> request = Sinks.empty();
        Mono<Void> watched = drain.watch(request.asMono());
        assertThat(drain.awaitFinished(Duration.ZERO))
                .as("watched work counts once subscribed")
                .isTrue();

        drain.finish(release.asMono());
        watched.subscribe();
        assertThat(drain.awaitFinished(Duration.ofMillis(20))).isFalse();
        release.tryEmitEmpty();
        assertThat(drain.awaitFinished(Duration.ofMillis(20))).isFalse();
        request.tryEmitEmpty();
        assertThat(drain.awaitFinished(TIMEOUT)).isTrue();
    }

    @Test
    void watchedWorkCountsUntilWhatFollowsItHasEndedToo() throws InterruptedException {
        Sinks.Empty<Void> handler = Sinks.empty();
        Sinks.Empty<Void> lastWrite = Sinks.empty();
        drain.watch(handler.asMono(), lastWrite.asMono()).subscribe();

        lastWrite.tryEmitEmpty(); // not subscribed before the handler ends: no effect yet
        Sinks.Empty<Void> written = Sinks.empty();
        Sinks.Empty<Void> other = Sinks.empty();
        drain.watch(other.asMono(), written.asMono()).subscribe();
        handler.tryEmitEmpty();
        other.tryEmitEmpty();
        assertThat(drain.awaitFinished(Duration.ofMillis(20)))
                .as("the second request's answer is not written yet")
                .isFalse();
        written.tryEmitError(new IllegalStateException("connection closed"));
        assertThat(drain.awaitFinished(TIMEOUT)).isTrue();
    }

    @Test
    void aFailedWorkCountsAsFinished() throws InterruptedException {
        drain.finish(Mono.error(new IllegalStateException("Redis gone")));

        assertThat(drain.awaitFinished(TIMEOUT)).isTrue();
    }
}
