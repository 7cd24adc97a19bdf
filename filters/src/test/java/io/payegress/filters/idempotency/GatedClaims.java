package io.payegress.filters.idempotency;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A store whose claim replies arrive only when a gate opens, as if the network were slow. */
final class GatedClaims implements DedupeStore {

    private final DedupeStore delegate;
    private final Mono<Void> gate;

    GatedClaims(DedupeStore delegate, Mono<Void> gate) {
        this.delegate = delegate;
        this.gate = gate;
    }

    @Override
    public Mono<ClaimOutcome> claim(DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl) {
        return delegate.claim(key, fingerprint, ownerId, inFlightTtl).delayUntil(outcome -> gate);
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
        return delegate.await(key, maxWait);
    }
}
