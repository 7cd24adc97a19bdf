package io.payegress.filters.idempotency;

/** What a claim of a {@link DedupeKey} found: nothing (now ours), a request in flight, or a completed one. */
public sealed interface ClaimOutcome {

    /**
     * The key was free and is now held by the caller's owner id until completion, release or TTL; {@code
     * earlierAttempt} when an earlier claim of the number may have sent an attempt to WeChat Pay (it was released
     * after one was written, or its owner died holding it).
     */
    record Claimed(boolean earlierAttempt) implements ClaimOutcome {}

    /** Another request holds the key; its body fingerprint tells a duplicate from a reused key. */
    record InFlight(Fingerprint fingerprint) implements ClaimOutcome {}

    /** A request with this key finished; its fingerprint and final response are stored. */
    record Completed(Fingerprint fingerprint, StoredResponse response) implements ClaimOutcome {}
}
