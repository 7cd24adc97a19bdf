package io.payegress.filters.reconciliation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reconciliation's meters: {@code payegress_reconciliations_total{route, trigger, result}},
 * {@code payegress_unknown_outcomes_total{route, tenant, cause}} (requests answered 504 UPSTREAM_OUTCOME_UNKNOWN after
 * an attempt was written), {@code payegress_reconciliation_openid_missing_total{route, tenant}} and the gauge {@code
 * payegress_reconciliation_pending} (late checks running on this replica).
 */
public final class ReconciliationMetrics {

    /** What started a reconciliation. */
    public enum Trigger {
        /** An attempt of an ambiguous redemption was answered RESOURCE_ALREADY_EXISTS. */
        ALREADY_EXISTS,
        /** A request was answered with its outcome unknown; checked after the answer. */
        UNKNOWN_OUTCOME
    }

    /** How a reconciliation ended. */
    public enum Result {
        /** The coupon is USED under this use_request_no: answered (or stored) as a success. */
        REDEEMED,
        /** The coupon is USED under another number: 409 COUPON_ALREADY_USED. */
        USED_BY_ANOTHER,
        /** The coupon is not used: sent again (inline) or left to the POS's resend (late). */
        NOT_USED,
        /** The query gave no usable answer in time: the outcome stays unknown. */
        UNRESOLVED,
        /** No openid to query with: the outcome stays unknown. */
        NO_OPENID,
        /** This replica already runs its maximum of late checks: the claim is released at once. */
        DROPPED;

        /** How a finding of the coupon query is counted. */
        static Result of(ReconciliationRules.Finding finding) {
            return switch (finding) {
                case REDEEMED_BY_US -> REDEEMED;
                case USED_BY_ANOTHER -> USED_BY_ANOTHER;
                case NOT_USED -> NOT_USED;
                case INCONCLUSIVE -> UNRESOLVED;
            };
        }
    }

    static final String RECONCILIATIONS = "payegress.reconciliations";
    static final String UNKNOWN_OUTCOMES = "payegress.unknown.outcomes";
    static final String OPENID_MISSING = "payegress.reconciliation.openid.missing";

    private final MeterRegistry registry;
    private final AtomicInteger pending = new AtomicInteger();

    public ReconciliationMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("payegress.reconciliation.pending", pending, AtomicInteger::get)
                .description("Late checks of unknown outcomes running on this replica")
                .register(registry);
    }

    void reconciled(String route, Trigger trigger, Result result) {
        Counter.builder(RECONCILIATIONS)
                .description("Coupon queries made to settle ambiguous redemptions, by trigger and result")
                .tag("route", route)
                .tag("trigger", label(trigger))
                .tag("result", label(result))
                .register(registry)
                .increment();
    }

    void unknownOutcome(String route, String tenant, String cause) {
        Counter.builder(UNKNOWN_OUTCOMES)
                .description("Requests answered 504 UPSTREAM_OUTCOME_UNKNOWN after an attempt was written to WeChat")
                .tag("route", route)
                .tag("tenant", tenant)
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    void openidMissing(String route, String tenant) {
        Counter.builder(OPENID_MISSING)
                .description("Ambiguous redemptions that could not be checked because they carry no openid")
                .tag("route", route)
                .tag("tenant", tenant)
                .register(registry)
                .increment();
    }

    /** The counter of late checks running on this replica (the gauge reads it). */
    AtomicInteger pending() {
        return pending;
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
