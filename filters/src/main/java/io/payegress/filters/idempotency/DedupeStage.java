package io.payegress.filters.idempotency;

import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.pipeline.Drain;

/**
 * What every request of one route's dedupe stage shares: its settings, the merchant's responder, the meters, this
 * replica's doubt after store failures, the finder of unknown outcomes and the replica's drain.
 */
record DedupeStage(
        IdempotencySettings settings,
        MerchantErrorResponder responder,
        IdempotencyMetrics metrics,
        StoreDoubt doubt,
        LateOutcomes lateOutcomes,
        Drain drain) {

    /** Counts a failed store call under the route's policy, and doubts the store's records for a while. */
    void storeFailed(String route, String operation) {
        metrics.storeError(route, operation, settings.failurePolicy());
        doubt.storeFailed();
    }
}
