package io.payegress.filters.idempotency;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** A store that counts the duplicates that started waiting, so a test can act once a duplicate is waiting. */
final class WatchedAwaits extends ForwardingDedupeStore {

    private final AtomicInteger awaits = new AtomicInteger();

    WatchedAwaits(DedupeStore delegate) {
        super(delegate);
    }

    int awaits() {
        return awaits.get();
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return Mono.defer(() -> {
            awaits.incrementAndGet();
            return super.await(key, maxWait);
        });
    }
}
