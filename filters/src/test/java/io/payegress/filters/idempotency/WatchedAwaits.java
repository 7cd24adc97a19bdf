package io.payegress.filters.idempotency;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** A store that counts the duplicates that started waiting, so a test can act once a duplicate is waiting. */
final class WatchedAwaits implements DedupeStore {

    private final DedupeStore delegate;
    private final AtomicInteger awaits = new AtomicInteger();

    WatchedAwaits(DedupeStore delegate) {
        this.delegate = delegate;
    }

    int awaits() {
        return awaits.get();
    }

    @Override
    public Mono<ClaimOutcome> claim(DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl) {
        return delegate.claim(key, fingerprint, ownerId, inFlightTtl);
    }

    @Override
    public Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl) {
        return delegate.complete(key, ownerId, response, completedTtl);
    }

    @Override
    public Mono<Boolean> release(DedupeKey key, String ownerId) {
        return delegate.release(key, ownerId);
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return Mono.defer(() -> {
            awaits.incrementAndGet();
            return delegate.await(key, maxWait);
        });
    }
}
