package io.payegress.filters.idempotency;

import io.payegress.filters.error.ErrorOutcome;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.pipeline.PaymentExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs the request that holds the claim: captures what is written, stores a final outcome (success or a final
 * error rendered by the merchant's responder), and on a retryable failure or an unexpected error either hands an
 * unknown outcome to {@link LateOutcomes} (keeping the claim until it is found) or releases the key, so the POS can
 * send the same {@code use_request_no} again (the filter releases it on cancellation). A release after an attempt was
 * written keeps the number's attempt marker. Cut off by the replica's {@link Drain} while it runs, it ends
 * retryable: 504 outcome unknown once an attempt was written to WeChat (the claim released, the attempt marker kept,
 * so the resend on another replica reconciles), else 503 and the key released.
 */
final class FirstRequest {

    private static final Logger log = LoggerFactory.getLogger(FirstRequest.class);
    private static final Duration STORE_MARGIN = Duration.ofSeconds(1);

    private final ServerWebExchange exchange;
    private final DedupeKey key;
    private final String owner;
    private final DedupeStore store;
    private final DedupeStage stage;
    private final Instant claimExpiry;

    FirstRequest(
            ServerWebExchange exchange,
            DedupeKey key,
            String owner,
            DedupeStore store,
            DedupeStage stage,
            Instant claimExpiry) {
        this.exchange = exchange;
        this.key = key;
        this.owner = owner;
        this.store = store;
        this.stage = stage;
        this.claimExpiry = claimExpiry;
    }

    Mono<Void> run(GatewayFilterChain chain) {
        ResponseCapture capture = new ResponseCapture(exchange.getResponse());
        ServerWebExchange captured = exchange.mutate().response(capture).build();
        return stage.drain()
                .cutOff(chain.filter(captured), this::cutOff)
                .onErrorResume(PaymentFailure.class, failure -> onFailure(captured, failure))
                .then(Mono.defer(() -> complete(capture)))
                .onErrorResume(error -> afterFailure(error).then(Mono.error(error)));
    }

    /** Why a request still running when the replica drains ends; null once its answer is being written. */
    private @Nullable PaymentFailure cutOff() {
        if (exchange.getResponse().isCommitted()) {
            return null;
        }
        boolean written = PaymentExchange.wasWritten(exchange);
        log.info(
                "request_id={} route={} cut off by the replica's shutdown (written to WeChat: {}); key released",
                PaymentExchange.requestId(exchange),
                key.routeId(),
                written);
        if (written) {
            return new UpstreamFailure(
                    new UpstreamOutcome.OutcomeUnknown("the gateway shut down before WeChat answered"));
        }
        return shuttingDown();
    }

    /** The answer to a request the draining replica will not run: retryable, at once, on another replica. */
    static GatewayRejection shuttingDown() {
        return new GatewayRejection(
                GatewayCode.SERVICE_UNAVAILABLE,
                "This gateway replica is shutting down; send the same request again.",
                List.of(),
                Duration.ofSeconds(1));
    }

    private Mono<Void> onFailure(ServerWebExchange captured, PaymentFailure failure) {
        if (stage.responder().retryable(exchange, failure)
                || exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        ErrorOutcome.record(exchange, failure);
        return stage.responder().write(captured, failure);
    }

    private Mono<Void> complete(ResponseCapture capture) {
        return capture.captured().map(this::store).orElseGet(() -> release(false));
    }

    private Mono<Void> store(StoredResponse response) {
        return store.complete(key, owner, response, stage.settings().completedTtl())
                .onErrorResume(error -> storeFailed("complete", error))
                .then();
    }

    /**
     * A retryable ending. When an attempt was written, the outcome may be unknown: {@link LateOutcomes} may take it
     * and look for it after the POS is answered, holding the claim meanwhile; otherwise the key is released now,
     * keeping the attempt marker. A draining replica hands nothing on: its late work would hold the claim until the
     * in-flight TTL once it is gone, while the resend, finding the marker, reconciles on another replica.
     */
    private Mono<Void> afterFailure(Throwable error) {
        boolean attempted = PaymentExchange.wasWritten(exchange);
        if (attempted && !stage.drain().begun() && error instanceof PaymentFailure failure) {
            Duration margin = stage.settings().inFlightTtl().dividedBy(10);
            Instant until = claimExpiry.minus(margin.compareTo(STORE_MARGIN) < 0 ? margin : STORE_MARGIN);
            Optional<Mono<LateOutcomes.Resolution>> late = stage.lateOutcomes().resolve(exchange, failure, until);
            if (late.isPresent()) {
                settleLater(late.get());
                return Mono.empty();
            }
        }
        return release(attempted);
    }

    /** Stores the late answer when one is found, else releases the claim (keeping the attempt marker). */
    private void settleLater(Mono<LateOutcomes.Resolution> late) {
        late.flatMap(resolution -> store(resolution).thenReturn(Boolean.TRUE))
                .switchIfEmpty(Mono.defer(() -> release(true).thenReturn(Boolean.FALSE)))
                .onErrorResume(error -> release(true).thenReturn(Boolean.FALSE))
                .subscribe();
    }

    private Mono<Void> store(LateOutcomes.Resolution resolution) {
        if (resolution instanceof LateOutcomes.Resolution.Succeeded succeeded) {
            return store(succeeded.response());
        }
        PaymentFailure failure = ((LateOutcomes.Resolution.Failed) resolution).failure();
        ResponseCapture rendered =
                new ResponseCapture(new DetachedResponse(exchange.getResponse().bufferFactory()));
        return stage.responder()
                .write(exchange.mutate().response(rendered).build(), failure)
                .then(Mono.defer(() -> rendered.captured().map(this::store).orElseGet(() -> release(true))));
    }

    private Mono<Void> release(boolean attempted) {
        return store.release(key, owner, attempted)
                .onErrorResume(error -> storeFailed("release", error))
                .then();
    }

    private Mono<Boolean> storeFailed(String operation, Throwable error) {
        stage.storeFailed(key.routeId(), operation);
        log.warn(
                "request_id={} route={} dedupe store failed on {}: {}",
                PaymentExchange.requestId(exchange),
                key.routeId(),
                operation,
                error.toString());
        return Mono.just(false);
    }
}
