package io.payegress.filters.idempotency;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A store that passes every call to a real one; test wrappers override the call they change or watch. */
abstract class ForwardingDedupeStore implements DedupeStore {

    private final DedupeStore delegate;

    ForwardingDedupeStore(DedupeStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
        return delegate.claim(key, fingerprint, ownerId, inFlightTtl, historyTtl);
    }

    @Override
    public Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl) {
        return delegate.complete(key, ownerId, response, completedTtl);
    }

    @Override
    public Mono<Boolean> release(DedupeKey key, String ownerId, boolean attempted) {
        return delegate.release(key, ownerId, attempted);
    }

    @Override
    public boolean sharedByReplicas() {
        return delegate.sharedByReplicas();
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return delegate.await(key, maxWait);
    }
}
