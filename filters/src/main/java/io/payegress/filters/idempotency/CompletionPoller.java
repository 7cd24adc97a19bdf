package io.payegress.filters.idempotency;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Waits for a record to complete by reading it with exponential backoff (10 ms doubling to 200 ms) on Reactor's
 * timer, never blocking a thread: a 2 s wait costs at most 14 reads of one key.
 */
final class CompletionPoller {

    static final Duration FIRST_DELAY = Duration.ofMillis(10);
    static final Duration MAX_DELAY = Duration.ofMillis(200);

    private CompletionPoller() {}

    /** Polls {@code peek} (empty = no record) until it is completed, the record is gone or maxWait passes. */
    static Mono<ClaimOutcome.Completed> poll(Supplier<Mono<ClaimOutcome>> peek, Duration maxWait) {
        return Mono.defer(() -> step(peek, FIRST_DELAY)).timeout(maxWait, Mono.empty());
    }

    private static Mono<ClaimOutcome.Completed> step(Supplier<Mono<ClaimOutcome>> peek, Duration delay) {
        return peek.get().flatMap(outcome -> {
            if (outcome instanceof ClaimOutcome.Completed completed) {
                return Mono.just(completed);
            }
            Duration next = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            return Mono.delay(delay).then(Mono.defer(() -> step(peek, next)));
        });
    }
}
