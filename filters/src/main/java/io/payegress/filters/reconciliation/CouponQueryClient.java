package io.payegress.filters.reconciliation;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.forward.UpstreamErrorBody;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.pipeline.Timeouts;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.Verdict;
import java.io.Serial;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * WeChat Pay's coupon query, {@code GET /v3/marketing/busifavor/users/{openid}/coupons/{code}/appids/{appid}}, as a
 * thin reactive client: signed like any v3 call, sent within its own budget (WeChat limits its query APIs apart from
 * coupons/use), its answer verified like any 2xx, transient failures retried with backoff, everything within the
 * caller's deadline. It never throws: every ending is a {@link QueryResult}.
 */
public final class CouponQueryClient implements CouponQuery {

    private final HttpClient client;
    private final QuerySigning signing;
    private final ResponseVerifier verifier;
    private final BudgetLimiter budget;
    private final QuerySettings settings;
    private final JsonMapper json;
    private final Clock clock;

    public CouponQueryClient(
            HttpClient client,
            QuerySigning signing,
            ResponseVerifier verifier,
            BudgetLimiter budget,
            QuerySettings settings,
            JsonMapper json,
            Clock clock) {
        this.client = client.disableRetry(true)
                .responseTimeout(settings.responseTimeout())
                .option(
                        ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(settings.connectTimeout().toMillis()));
        this.signing = signing;
        this.verifier = verifier;
        this.budget = budget;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** Queries the redemption's coupon at WeChat Pay's host {@code base}, for the tenant's budget share, by {@code until}. */
    @Override
    public Mono<QueryResult> query(URI base, Redemption redemption, Tenant tenant, Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        if (left.isNegative() || left.isZero()) {
            return Mono.just(new QueryResult.Failed(QueryResult.Reason.UNAVAILABLE, "no time left to query"));
        }
        String path = redemption.queryPath();
        URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
        Retry retry = Retry.backoff(settings.maxAttempts() - 1, settings.firstBackoff())
                .maxBackoff(settings.maxBackoff())
                .filter(error -> error instanceof Transient
                        && Duration.between(clock.instant(), until).compareTo(settings.firstBackoff()) > 0)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
        return Timeouts.within(
                        Mono.defer(() -> attempt(uri, path, tenant, until)).retryWhen(retry), left)
                .onErrorResume(error -> Mono.just(failed(error)));
    }

    private Mono<QueryResult> attempt(URI uri, String path, Tenant tenant, Instant until) {
        return signing.authorization(path)
                .flatMap(authorization -> departure(tenant, until, false).then(send(uri, authorization)))
                .map(this::interpret);
    }

    /** A grant of the query budget, held until its slot; a grant gone stale is given back and asked for again. */
    private Mono<Void> departure(Tenant tenant, Instant until, boolean again) {
        return budget.acquire(budget.health().budget(), tenant, until, again).flatMap(permit -> {
            Departure departure = budget.departure(permit);
            return Mono.delay(Duration.ofNanos(departure.holdNanos())).then(Mono.defer(() -> {
                if (departure.fresh()) {
                    return Mono.<Void>empty();
                }
                budget.unused(permit);
                return departure(tenant, until, true);
            }));
        });
    }

    private Mono<Answer> send(URI uri, String authorization) {
        return client.headers(headers -> {
                    headers.set("Authorization", authorization);
                    headers.set("Accept", "application/json");
                    headers.set("User-Agent", settings.userAgent());
                    headers.set("Accept-Encoding", "identity");
                    if (settings.wechatpaySerial() != null) {
                        headers.set("Wechatpay-Serial", settings.wechatpaySerial());
                    }
                })
                .get()
                .uri(uri)
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(body -> new Answer(response.status().code(), response.responseHeaders(), body)))
                .onErrorMap(error -> new Transient(error.getClass().getSimpleName()));
    }

    private QueryResult interpret(Answer answer) {
        if (answer.status() >= 200 && answer.status() < 300) {
            Verdict verdict = verifier.verify(
                    answer.headers().get("Wechatpay-Timestamp"),
                    answer.headers().get("Wechatpay-Nonce"),
                    answer.headers().get("Wechatpay-Signature"),
                    answer.headers().get("Wechatpay-Serial"),
                    answer.body());
            if (!verdict.valid()) {
                throw new Transient("answer failed verification: " + verdict.reason());
            }
            return QueriedCoupon.parse(json, answer.body())
                    .<QueryResult>map(coupon ->
                            new QueryResult.Found(coupon, answer.headers().get("Request-ID")))
                    .orElseGet(() -> new QueryResult.Failed(QueryResult.Reason.INCONCLUSIVE, "no coupon_state"));
        }
        UpstreamErrorBody error = UpstreamErrorBody.parse(json, answer.body());
        if (answer.status() == 429) {
            budget.throttled();
        }
        if (answer.status() == 429 || answer.status() >= 500 || "SYSTEM_ERROR".equals(error.code())) {
            throw new Transient(answer.status() + " " + error.code());
        }
        return new QueryResult.Failed(QueryResult.Reason.INCONCLUSIVE, answer.status() + " " + error.code());
    }

    private static QueryResult failed(Throwable error) {
        if (error instanceof GatewayRejection) {
            return new QueryResult.Failed(QueryResult.Reason.BUDGET, "no query budget before the deadline");
        }
        if (error instanceof TimeoutException) {
            return new QueryResult.Failed(QueryResult.Reason.UNAVAILABLE, "no answer before the deadline");
        }
        return new QueryResult.Failed(QueryResult.Reason.UNAVAILABLE, String.valueOf(error.getMessage()));
    }

    /** One answer as received. */
    private record Answer(int status, HttpHeaders headers, byte[] body) {}

    /** A failure worth another attempt: transport, 5xx, SYSTEM_ERROR, 429, or an answer that failed verification. */
    private static final class Transient extends RuntimeException {

        @Serial
        private static final long serialVersionUID = 1L;

        Transient(String message) {
            super(message, null, false, false);
        }
    }
}
