package io.payegress.filters.idempotency;

import io.payegress.filters.error.ErrorOutcome;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.PaymentExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
 * written keeps the number's attempt marker.
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
        return chain.filter(captured)
                .onErrorResume(PaymentFailure.class, failure -> onFailure(captured, failure))
                .then(Mono.defer(() -> complete(capture)))
                .onErrorResume(error -> afterFailure(error).then(Mono.error(error)));
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
     * and look for it after the POS is answered, holding the claim meanwhile; otherwise the key is released now.
     */
    private Mono<Void> afterFailure(Throwable error) {
        boolean attempted = PaymentExchange.wasWritten(exchange);
        if (attempted && error instanceof PaymentFailure failure) {
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
