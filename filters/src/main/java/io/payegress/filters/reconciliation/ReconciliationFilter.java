package io.payegress.filters.reconciliation;

import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.reconciliation.ReconciliationMetrics.Result;
import io.payegress.filters.reconciliation.ReconciliationMetrics.Trigger;
import io.payegress.filters.reconciliation.ReconciliationRules.Answer;
import io.payegress.filters.reconciliation.ReconciliationRules.Finding;
import io.payegress.filters.tenant.Tenant;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The RECONCILIATION stage, around each attempt: when WeChat answers RESOURCE_ALREADY_EXISTS to an ambiguous
 * redemption (an earlier attempt with its use_request_no may have redeemed the coupon), asks the coupon query instead
 * of believing it. USED under this number: the POS gets 200 with stock_id, openid and wechatpay_use_time; USED under
 * another: 409 COUPON_ALREADY_USED as WeChat said; not used: the attempt fails transiently, so the retry stage sends it
 * again within the deadline; no answer in time, or no openid to ask with: 504 UPSTREAM_OUTCOME_UNKNOWN, never a guess.
 */
public final class ReconciliationFilter implements GatewayFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationFilter.class);
    private static final byte[] EMPTY = new byte[0];
    /** How long a query may take on a route without a deadline (the retry stage sets one on every payment route). */
    private static final Duration WITHOUT_DEADLINE = Duration.ofSeconds(8);

    private final CouponQuery queries;
    private final ReconciliationRules.Verification verification;
    private final ReconciliationMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;

    public ReconciliationFilter(
            CouponQuery queries,
            ReconciliationRules.Verification verification,
            ReconciliationMetrics metrics,
            JsonMapper json,
            Clock clock) {
        this.queries = queries;
        this.verification = verification;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.RECONCILIATION);
        boolean earlierAttempt = PaymentExchange.wasWritten(exchange);
        return chain.filter(exchange)
                .onErrorResume(
                        error -> alreadyExists(error) != null,
                        error -> reconcile(exchange, (UpstreamFailure) error, earlierAttempt));
    }

    /** WeChat's RESOURCE_ALREADY_EXISTS answer carried by {@code error}, or null. */
    static UpstreamOutcome.@Nullable Answered alreadyExists(Throwable error) {
        return error instanceof UpstreamFailure failure
                        && failure.outcome() instanceof UpstreamOutcome.Answered answered
                        && "RESOURCE_ALREADY_EXISTS".equals(answered.code())
                ? answered
                : null;
    }

    private Mono<Void> reconcile(ServerWebExchange exchange, UpstreamFailure failure, boolean earlierAttempt) {
        boolean ambiguous =
                earlierAttempt || PaymentExchange.attemptHistory(exchange).mayHaveReachedWeChat();
        UpstreamOutcome.Answered answered = (UpstreamOutcome.Answered) failure.outcome();
        byte[] body = PaymentExchange.body(exchange);
        Optional<Redemption> read = Redemption.read(json, body == null ? EMPTY : body);
        if (read.isEmpty()) {
            return Mono.error(
                    ambiguous ? unresolved(UpstreamOutcome.Unresolved.Cause.QUERY_INCONCLUSIVE, answered) : failure);
        }
        Redemption redemption = read.get();
        String route = PaymentExchange.routeId(exchange);
        Tenant tenant = PaymentExchange.requireTenant(exchange);
        switch (ReconciliationRules.onAlreadyExists(ambiguous, verification, redemption.hasOpenid())) {
            case FINAL:
                return Mono.error(failure);
            case UNKNOWN_WITHOUT_OPENID:
                metrics.openidMissing(route, tenant.id().value());
                metrics.reconciled(route, Trigger.ALREADY_EXISTS, Result.NO_OPENID);
                log.warn(
                        "request_id={} route={} RESOURCE_ALREADY_EXISTS after an earlier attempt may have redeemed the"
                                + " coupon, and no openid to query with: outcome unknown",
                        PaymentExchange.requestId(exchange),
                        route);
                return Mono.error(unresolved(UpstreamOutcome.Unresolved.Cause.NO_OPENID, answered));
            default:
                Instant until = PaymentExchange.deadline(exchange)
                        .orElseGet(() -> clock.instant().plus(WITHOUT_DEADLINE));
                return queries.query(wechatHost(exchange), redemption, tenant, until)
                        .flatMap(result -> act(exchange, failure, redemption, ambiguous, result));
        }
    }

    private Mono<Void> act(
            ServerWebExchange exchange,
            UpstreamFailure failure,
            Redemption redemption,
            boolean ambiguous,
            QueryResult result) {
        String route = PaymentExchange.routeId(exchange);
        UpstreamOutcome.Answered answered = (UpstreamOutcome.Answered) failure.outcome();
        if (result instanceof QueryResult.Failed failed) {
            metrics.reconciled(route, Trigger.ALREADY_EXISTS, Result.UNRESOLVED);
            log.warn(
                    "request_id={} route={} coupon query failed ({} {}) after RESOURCE_ALREADY_EXISTS; ambiguous={}",
                    PaymentExchange.requestId(exchange),
                    route,
                    failed.reason(),
                    failed.detail(),
                    ambiguous);
            boolean inconclusive = failed.reason() == QueryResult.Reason.INCONCLUSIVE;
            return ReconciliationRules.withoutFinding(ambiguous) == Answer.UNKNOWN
                    ? Mono.error(unresolved(cause(inconclusive), answered))
                    : Mono.error(failure);
        }
        QueryResult.Found found = (QueryResult.Found) result;
        Finding finding = ReconciliationRules.finding(found.coupon(), redemption.useRequestNo());
        metrics.reconciled(route, Trigger.ALREADY_EXISTS, Result.of(finding));
        log.info(
                "request_id={} route={} RESOURCE_ALREADY_EXISTS checked with the coupon query: {} (coupon_state {})",
                PaymentExchange.requestId(exchange),
                route,
                finding,
                found.coupon().state());
        return switch (ReconciliationRules.afterAlreadyExists(finding, ambiguous)) {
            case SUCCESS -> succeed(exchange, found, redemption);
            case ALREADY_USED -> Mono.error(failure);
            case RETRY ->
                Mono.error(new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown(
                        "RESOURCE_ALREADY_EXISTS, but the coupon query finds the coupon not used")));
            case UNKNOWN -> Mono.error(unresolved(UpstreamOutcome.Unresolved.Cause.QUERY_INCONCLUSIVE, answered));
        };
    }

    /** Writes the success WeChat Pay would have answered the redemption (the idempotency stage stores it). */
    private Mono<Void> succeed(ServerWebExchange exchange, QueryResult.Found found, Redemption redemption) {
        byte[] body = ReconciledAnswer.successBody(json, found.coupon(), redemption);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (found.requestId() != null) {
            PaymentExchange.upstreamRequestId(exchange, found.requestId());
            response.getHeaders().set("X-Upstream-Request-Id", found.requestId());
        }
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    /** WeChat Pay's host for the request: its route's URI, which coupons/use is sent to as well. */
    static URI wechatHost(ServerWebExchange exchange) {
        Route route = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route.getUri();
    }

    private static UpstreamOutcome.Unresolved.Cause cause(boolean inconclusive) {
        return inconclusive
                ? UpstreamOutcome.Unresolved.Cause.QUERY_INCONCLUSIVE
                : UpstreamOutcome.Unresolved.Cause.QUERY_FAILED;
    }

    private static UpstreamFailure unresolved(
            UpstreamOutcome.Unresolved.Cause cause, UpstreamOutcome.Answered answered) {
        return new UpstreamFailure(new UpstreamOutcome.Unresolved(cause, answered));
    }

    @Override
    public int getOrder() {
        return PipelineStage.RECONCILIATION.order();
    }

    @Override
    public String toString() {
        return "Reconciliation(" + verification + ")";
    }
}
