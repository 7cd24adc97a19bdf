package io.payegress.filters.idempotency;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The idempotency stage's meters: one decision per request ({@code first}, {@code replayed}, {@code coalesced},
 * {@code in_progress}, {@code key_reused}, {@code store_error}) and every failed store call.
 */
final class IdempotencyMetrics {

    static final String DECISIONS = "payegress_idempotency_decisions_total";
    static final String STORE_ERRORS = "payegress_idempotency_store_errors_total";

    private final MeterRegistry meters;

    IdempotencyMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void decision(String route, String tenant, String outcome) {
        meters.counter(DECISIONS, "route", route, "tenant", tenant, "outcome", outcome)
                .increment();
    }

    void storeError(String route, String operation, FailurePolicy policy) {
        meters.counter(STORE_ERRORS, "route", route, "operation", operation, "policy", policy.name())
                .increment();
    }
}
