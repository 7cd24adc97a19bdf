package io.payegress.filters.idempotency;

/** What a claim of a {@link DedupeKey} found: nothing (now ours), a request in flight, or a completed one. */
public sealed interface ClaimOutcome {

    /** The key was free and is now held by the caller's owner id until completion, release or TTL. */
    record Claimed() implements ClaimOutcome {}

    /** Another request holds the key; its body fingerprint tells a duplicate from a reused key. */
    record InFlight(Fingerprint fingerprint) implements ClaimOutcome {}

    /** A request with this key finished; its fingerprint and final response are stored. */
    record Completed(Fingerprint fingerprint, StoredResponse response) implements ClaimOutcome {}
}
