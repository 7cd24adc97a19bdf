package io.payegress.filters.idempotency;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The shared record of {@code use_request_no} claims and completed responses, and of the numbers whose attempts may
 * have reached WeChat Pay without a final answer. Every operation is one atomic step on one key's slot, so replicas
 * sharing the store never both run one request; errors signal that the store is unreachable.
 */
public interface DedupeStore {

    /**
     * Claims the key for {@code ownerId} when it is free (expiring after {@code inFlightTtl} unless completed), or
     * reports the in-flight or completed record that holds it, in one atomic step. A claim also marks the number as
     * possibly attempted, for {@code historyTtl}: should its owner die, the next claim still learns that an attempt
     * may have reached WeChat Pay, and says so ({@link ClaimOutcome.Claimed#earlierAttempt()}).
     */
    Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl);

    /**
     * Stores the final response if {@code ownerId} still holds the in-flight claim, keeping it for {@code
     * completedTtl}, and drops the attempt marker (the response now answers every resend); emits whether it was stored.
     */
    Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl);

    /**
     * Deletes the in-flight claim if {@code ownerId} holds it; never deletes a completed record. The attempt marker
     * stays when {@code attempted} (an attempt of the request was written to WeChat Pay) or when an earlier claim had
     * left it; otherwise it goes with the claim.
     */
    Mono<Boolean> release(DedupeKey key, String ownerId, boolean attempted);

    /**
     * Whether several replicas share this store (Redis), so that a replica falling back to its own memory while the
     * store fails can make attempts the others do not see; false for a store only one replica uses.
     */
    default boolean sharedByReplicas() {
        return true;
    }

    /**
     * Waits without blocking a thread for the record to complete: emits it when it does, or completes empty when
     * {@code maxWait} passes or the claim disappears (released or expired) first.
     */
    Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait);
}
