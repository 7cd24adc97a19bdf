package io.payegress.filters.reconciliation;

import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.idempotency.LateOutcomes;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.reconciliation.ReconciliationMetrics.Result;
import io.payegress.filters.reconciliation.ReconciliationMetrics.Trigger;
import io.payegress.filters.reconciliation.ReconciliationRules.Finding;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks, after the POS was answered 504 UPSTREAM_OUTCOME_UNKNOWN, what became of the redemption, with the coupon
 * query, while the dedupe stage holds the claim: USED under its number gives the success to store, USED under another
 * the final 409; anything else (not used, no answer, no openid) stores nothing and the POS's resend goes to WeChat Pay
 * itself. At most {@code maxPending} checks run on one replica; one more is dropped (counted) and its claim released.
 * Work is lost only with the replica: its claims expire after the in-flight TTL, and the POS's resend then finds the
 * attempt marker and reconciles itself.
 */
public final class LateReconciler implements LateOutcomes, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LateReconciler.class);
    private static final byte[] EMPTY = new byte[0];

    private final CouponQuery queries;
    private final ReconciliationMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxPending;
    private volatile boolean closed;

    public LateReconciler(
            CouponQuery queries, ReconciliationMetrics metrics, JsonMapper json, Clock clock, int maxPending) {
        if (maxPending < 0) {
            throw new IllegalArgumentException("max-pending must not be negative");
        }
        this.queries = queries;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    @Override
    public Optional<Mono<Resolution>> resolve(ServerWebExchange exchange, PaymentFailure failure, Instant until) {
        String cause = failure instanceof UpstreamFailure upstream ? cause(upstream.outcome()) : null;
        if (cause == null) {
            return Optional.empty();
        }
        String route = PaymentExchange.routeId(exchange);
        Tenant tenant = PaymentExchange.requireTenant(exchange);
        metrics.unknownOutcome(route, tenant.id().value(), cause);
        byte[] body = PaymentExchange.body(exchange);
        Optional<Redemption> redemption = Redemption.read(json, body == null ? EMPTY : body);
        if (redemption.isEmpty() || "no_openid".equals(cause)) {
            return Optional.empty();
        }
        if (!redemption.get().hasOpenid()) {
            metrics.openidMissing(route, tenant.id().value());
            metrics.reconciled(route, Trigger.UNKNOWN_OUTCOME, Result.NO_OPENID);
            return Optional.empty();
        }
        if (closed || !clock.instant().isBefore(until) || !reserve()) {
            metrics.reconciled(route, Trigger.UNKNOWN_OUTCOME, Result.DROPPED);
            return Optional.empty();
        }
        return Optional.of(queries.query(ReconciliationFilter.wechatHost(exchange), redemption.get(), tenant, until)
                .flatMap(result -> resolution(exchange, redemption.get(), result))
                .doFinally(signal -> metrics.pending().decrementAndGet()));
    }

    private boolean reserve() {
        while (true) {
            int now = metrics.pending().get();
            if (now >= maxPending) {
                return false;
            }
            if (metrics.pending().compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private Mono<Resolution> resolution(ServerWebExchange exchange, Redemption redemption, QueryResult result) {
        String route = PaymentExchange.routeId(exchange);
        if (result instanceof QueryResult.Failed failed) {
            metrics.reconciled(route, Trigger.UNKNOWN_OUTCOME, Result.UNRESOLVED);
            log.warn(
                    "request_id={} route={} outcome still unknown: coupon query failed ({} {})",
                    PaymentExchange.requestId(exchange),
                    route,
                    failed.reason(),
                    failed.detail());
            return Mono.empty();
        }
        QueryResult.Found found = (QueryResult.Found) result;
        Finding finding = ReconciliationRules.finding(found.coupon(), redemption.useRequestNo());
        metrics.reconciled(route, Trigger.UNKNOWN_OUTCOME, Result.of(finding));
        log.info(
                "request_id={} route={} unknown outcome checked with the coupon query: {}",
                PaymentExchange.requestId(exchange),
                route,
                finding);
        return switch (ReconciliationRules.afterUnknownOutcome(finding)) {
            case SUCCESS ->
                Mono.just(new Resolution.Succeeded(ReconciledAnswer.stored(
                        ReconciledAnswer.successBody(json, found.coupon(), redemption), found.requestId())));
            case ALREADY_USED -> Mono.just(new Resolution.Failed(ReconciledAnswer.usedByAnother(found.requestId())));
            default -> Mono.empty();
        };
    }

    /** The metric label of an unknown outcome, or null for a failure whose outcome is known (or not a redemption's). */
    private static @Nullable String cause(UpstreamOutcome outcome) {
        if (outcome instanceof UpstreamOutcome.OutcomeUnknown) {
            return "no_answer";
        }
        if (outcome instanceof UpstreamOutcome.Unresolved unresolved) {
            return unresolved.cause().name().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** Takes no new checks; those running end by their own deadlines (within the in-flight TTL). */
    @Override
    public void close() {
        closed = true;
    }
}
