package io.payegress.filters.idempotency;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The shared record of {@code use_request_no} claims and completed responses. Every operation is one atomic step on
 * one key, so replicas sharing the store never both run one request; errors signal that the store is unreachable.
 */
public interface DedupeStore {

    /**
     * Claims the key for {@code ownerId} when it is free (expiring after {@code inFlightTtl} unless completed), or
     * reports the in-flight or completed record that holds it, in one atomic step.
     */
    Mono<ClaimOutcome> claim(DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl);

    /**
     * Stores the final response if {@code ownerId} still holds the in-flight claim, keeping it for {@code
     * completedTtl}; emits whether it was stored.
     */
    Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl);

    /** Deletes the in-flight claim if {@code ownerId} holds it; never deletes a completed record. */
    Mono<Boolean> release(DedupeKey key, String ownerId);

    /**
     * Waits without blocking a thread for the record to complete: emits it when it does, or completes empty when
     * {@code maxWait} passes or the claim disappears (released or expired) first.
     */
    Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait);
}
