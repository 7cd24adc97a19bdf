package io.payegress.filters.idempotency;

import io.payegress.filters.error.ErrorOutcome;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.pipeline.PaymentExchange;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs the request that holds the claim: captures what is written, stores a final outcome (success or a final
 * error rendered by the merchant's responder), and releases the key on a retryable failure or an unexpected error
 * so the POS can send the same {@code use_request_no} again (the filter releases it on cancellation). Cut off by the
 * replica's {@link Drain} while it runs, it ends the same way: a retryable answer (outcome unknown once an attempt
 * was written to WeChat) and the key released.
 */
final class FirstRequest {

    private static final Logger log = LoggerFactory.getLogger(FirstRequest.class);

    private final ServerWebExchange exchange;
    private final DedupeKey key;
    private final String owner;
    private final DedupeStore store;
    private final IdempotencySettings settings;
    private final MerchantErrorResponder responder;
    private final IdempotencyMetrics metrics;
    private final Drain drain;

    FirstRequest(
            ServerWebExchange exchange,
            DedupeKey key,
            String owner,
            DedupeStore store,
            IdempotencySettings settings,
            MerchantErrorResponder responder,
            IdempotencyMetrics metrics,
            Drain drain) {
        this.exchange = exchange;
        this.key = key;
        this.owner = owner;
        this.store = store;
        this.settings = settings;
        this.responder = responder;
        this.metrics = metrics;
        this.drain = drain;
    }

    Mono<Void> run(GatewayFilterChain chain) {
        ResponseCapture capture = new ResponseCapture(exchange.getResponse());
        ServerWebExchange captured = exchange.mutate().response(capture).build();
        return drain.cutOff(chain.filter(captured), this::cutOff)
                .onErrorResume(PaymentFailure.class, failure -> onFailure(captured, failure))
                .then(Mono.defer(() -> complete(capture)))
                .onErrorResume(error -> release().then(Mono.error(error)));
    }

    /** Why a request still running when the replica drains ends; null once its answer is being written. */
    private @Nullable PaymentFailure cutOff() {
        if (exchange.getResponse().isCommitted()) {
            return null;
        }
        log.info(
                "request_id={} route={} cut off by the replica's shutdown (written to WeChat: {}); key released",
                PaymentExchange.requestId(exchange),
                key.routeId(),
                PaymentExchange.wasWritten(exchange));
        if (PaymentExchange.wasWritten(exchange)) {
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
        if (responder.retryable(exchange, failure) || exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        ErrorOutcome.record(exchange, failure);
        return responder.write(captured, failure);
    }

    private Mono<Void> complete(ResponseCapture capture) {
        return capture.captured()
                .map(response -> store.complete(key, owner, response, settings.completedTtl())
                        .onErrorResume(error -> storeFailed("complete", error))
                        .then())
                .orElseGet(this::release);
    }

    private Mono<Void> release() {
        return store.release(key, owner)
                .onErrorResume(error -> storeFailed("release", error))
                .then();
    }

    private Mono<Boolean> storeFailed(String operation, Throwable error) {
        metrics.storeError(key.routeId(), operation, settings.failurePolicy());
        log.warn(
                "request_id={} route={} dedupe store failed on {}: {}",
                PaymentExchange.requestId(exchange),
                key.routeId(),
                operation,
                error.toString());
        return Mono.just(false);
    }
}
