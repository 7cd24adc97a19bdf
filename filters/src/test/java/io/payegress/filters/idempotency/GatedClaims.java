package io.payegress.filters.idempotency;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** A store whose claim replies arrive only when a gate opens, as if the network were slow. */
final class GatedClaims extends ForwardingDedupeStore {

    private final Mono<Void> gate;

    GatedClaims(DedupeStore delegate, Mono<Void> gate) {
        super(delegate);
        this.gate = gate;
    }

    @Override
    public Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
        return super.claim(key, fingerprint, ownerId, inFlightTtl, historyTtl).delayUntil(outcome -> gate);
    }
}
