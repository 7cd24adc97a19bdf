package io.payegress.filters.idempotency;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.AttemptHistory;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Dedupes {@code use_request_no} per merchant and route: the first request claims the key and its final response is
 * stored; a duplicate gets that response replayed (waiting a bounded time while it is in flight); the same key with
 * another body is refused; retryable failures release the key. A store failure follows the route's policy. The first
 * request is told what the store knows of earlier attempts with its number ({@link PaymentExchange#attemptHistory}).
 * When the replica drains, a request still running or waiting ends with a retryable answer, its key released (the
 * attempt marker kept once an attempt was written).
 */
public final class IdempotencyFilter implements GatewayFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final byte[] EMPTY = new byte[0];

    private final DedupeStage stage;
    private final IdempotencySettings settings;
    private final DedupeKeyResolver keys;
    private final DedupeStore store;
    private final DedupeStore fallback;
    private final IdempotencyMetrics metrics;
    private final Clock clock;
    private final Drain drain;

    IdempotencyFilter(DedupeStage stage, DedupeKeyResolver keys, DedupeStore store, DedupeStore fallback, Clock clock) {
        this.stage = stage;
        this.settings = stage.settings();
        this.keys = keys;
        this.store = store;
        this.fallback = fallback;
        this.metrics = stage.metrics();
        this.clock = clock;
        this.drain = stage.drain();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.IDEMPOTENCY);
        return Mono.defer(() -> {
            byte[] stored = PaymentExchange.body(exchange);
            byte[] body = stored == null ? EMPTY : stored;
            Request request = new Request(exchange, chain, keys.resolve(exchange, body), Fingerprint.of(body));
            CompletableFuture<Claim> claimed = claim(request).toFuture();
            return Mono.fromFuture(claimed, true)
                    .flatMap(claim -> decide(request, claim))
                    .doOnCancel(() -> claimed.thenAccept(claim -> releaseIfClaimed(request, claim)));
        });
    }

    /**
     * A client gone mid-request (even mid-claim) must not strand the key until the in-flight TTL; the release runs
     * under the drain's watch, so a replica shutting down keeps its Redis client until the release has landed.
     */
    private void releaseIfClaimed(Request request, Claim claim) {
        if (claim.outcome() instanceof ClaimOutcome.Claimed) {
            drain.finish(claim.store()
                    .release(request.key(), request.owner(), PaymentExchange.wasWritten(request.exchange()))
                    .onErrorResume(error -> {
                        stage.storeFailed(request.key().routeId(), "release");
                        return Mono.empty();
                    }));
        }
    }

    /** One request's view: its exchange, key, body fingerprint, owner id and metric tags. */
    private record Request(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            DedupeKey key,
            Fingerprint fingerprint,
            String owner) {
        Request(ServerWebExchange exchange, GatewayFilterChain chain, DedupeKey key, Fingerprint fingerprint) {
            this(exchange, chain, key, fingerprint, UUID.randomUUID().toString());
        }

        String tenant() {
            return PaymentExchange.requireTenant(exchange).id().value();
        }
    }

    /** The outcome of the claim and the store that gave it (the shared one, or the local fallback). */
    private record Claim(DedupeStore store, ClaimOutcome outcome) {}

    private Mono<Claim> claim(Request request) {
        return claimIn(store, request)
                .map(outcome -> new Claim(store, outcome))
                .onErrorResume(error -> !(error instanceof PaymentFailure), error -> storeFailed(request, error));
    }

    private Mono<Claim> storeFailed(Request request, Throwable error) {
        String route = request.key().routeId();
        stage.storeFailed(route, "claim");
        log.warn(
                "request_id={} route={} dedupe store failed on claim ({}): {}",
                requestId(request),
                route,
                settings.failurePolicy(),
                error.toString());
        if (settings.failurePolicy() == FailurePolicy.FAIL_CLOSED) {
            metrics.decision(route, request.tenant(), "store_error");
            return Mono.error(new GatewayRejection(
                    GatewayCode.SERVICE_UNAVAILABLE, "The idempotency store is unavailable; retry the request."));
        }
        return claimIn(fallback, request).map(outcome -> new Claim(fallback, outcome));
    }

    private Mono<ClaimOutcome> claimIn(DedupeStore chosen, Request request) {
        return chosen.claim(
                request.key(), request.fingerprint(), request.owner(), settings.inFlightTtl(), settings.completedTtl());
    }

    /**
     * What the claim says of earlier attempts with the number: EARLIER_ATTEMPT when its marker says so; NONE only when
     * the record can show every attempt. It cannot (UNKNOWN) when the local fallback answered, when the shared store
     * failed on this replica within the doubt horizon (records may be missing), or when replicas share the store under
     * FAIL_OPEN_LOCAL: any of them may attempt under a local claim while Redis fails for it, unseen by the others.
     */
    private AttemptHistory history(Claim claim, ClaimOutcome.Claimed claimed) {
        if (claimed.earlierAttempt()) {
            return AttemptHistory.EARLIER_ATTEMPT;
        }
        boolean localClaimsPossible =
                store.sharedByReplicas() && settings.failurePolicy() == FailurePolicy.FAIL_OPEN_LOCAL;
        if (claim.store() == fallback || stage.doubt().active() || localClaimsPossible) {
            return AttemptHistory.UNKNOWN;
        }
        return AttemptHistory.NONE;
    }

    private Mono<Void> decide(Request request, Claim claim) {
        return decide(request, claim, true);
    }

    /**
     * Acts on a claim. A duplicate of an in-flight request waits for it; when the claim disappears instead (the first
     * request failed retryably, its client left, or its claim expired) the key is claimed once more, so the duplicate
     * runs itself rather than being told to come back later. The second look never waits again.
     */
    private Mono<Void> decide(Request request, Claim claim, boolean mayWait) {
        ClaimOutcome outcome = claim.outcome();
        if (outcome instanceof ClaimOutcome.Claimed claimed) {
            decision(request, "first");
            PaymentExchange.attemptHistory(request.exchange(), history(claim, claimed));
            Instant claimExpiry = clock.instant().plus(settings.inFlightTtl());
            return new FirstRequest(
                            request.exchange(), request.key(), request.owner(), claim.store(), stage, claimExpiry)
                    .run(request.chain());
        }
        if (outcome instanceof ClaimOutcome.Completed completed) {
            return replayOrRefuse(request, completed, "replayed");
        }
        if (!((ClaimOutcome.InFlight) outcome).fingerprint().equals(request.fingerprint())) {
            return keyReused(request);
        }
        if (!mayWait) {
            return inProgress(request);
        }
        return drain.cutOff(claim.store().await(request.key(), settings.inFlightWait()), FirstRequest::shuttingDown)
                .onErrorResume(error -> !(error instanceof PaymentFailure), error -> {
                    stage.storeFailed(request.key().routeId(), "await");
                    return Mono.empty();
                })
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(completed -> completed.isPresent()
                        ? replayOrRefuse(request, completed.get(), "coalesced")
                        : claim(request).flatMap(again -> decide(request, again, false)));
    }

    private Mono<Void> replayOrRefuse(Request request, ClaimOutcome.Completed completed, String decision) {
        if (!completed.fingerprint().equals(request.fingerprint())) {
            return keyReused(request);
        }
        decision(request, decision);
        return Replay.write(request.exchange(), completed.response());
    }

    private Mono<Void> keyReused(Request request) {
        decision(request, "key_reused");
        return Mono.error(new GatewayRejection(
                GatewayCode.IDEMPOTENCY_KEY_REUSED, "This use_request_no was already used with a different body."));
    }

    private Mono<Void> inProgress(Request request) {
        decision(request, "in_progress");
        return Mono.error(new GatewayRejection(
                GatewayCode.REQUEST_IN_PROGRESS, "A request with this use_request_no is still in progress."));
    }

    private void decision(Request request, String outcome) {
        metrics.decision(request.key().routeId(), request.tenant(), outcome);
    }

    private static String requestId(Request request) {
        return PaymentExchange.requestId(request.exchange());
    }

    @Override
    public int getOrder() {
        return PipelineStage.IDEMPOTENCY.order();
    }

    @Override
    public String toString() {
        return "Idempotency(" + settings.failurePolicy() + ", in-flight-wait " + settings.inFlightWait() + ")";
    }
}
