package io.payegress.filters.retry;

import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.pipeline.Timeouts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Re-runs budget, signing and forwarding for transient upstream failures, with exponential backoff, as long as
 * the attempt count and the request deadline allow. The body and use_request_no never change between attempts;
 * each attempt gets a fresh signature and spends budget.
 */
public final class UpstreamRetryFilter implements GatewayFilter, Ordered {

    private final RetrySettings settings;
    private final Clock clock;

    public UpstreamRetryFilter(RetrySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.RETRY);
        Instant deadline = clock.instant().plus(settings.deadline());
        PaymentExchange.deadline(exchange, deadline);
        Retry retry = Retry.backoff(settings.maxAttempts() - 1, settings.firstBackoff())
                .maxBackoff(settings.maxBackoff())
                .filter(error -> isTransient(error) && timeLeft(deadline).compareTo(settings.firstBackoff()) > 0)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
        return Timeouts.within(Mono.defer(() -> chain.filter(exchange)).retryWhen(retry), settings.deadline())
                .onErrorMap(TimeoutException.class, e -> deadlinePassed(PaymentExchange.wasWritten(exchange)));
    }

    private static boolean isTransient(Throwable error) {
        return error instanceof UpstreamFailure failure && failure.isTransient();
    }

    private Duration timeLeft(Instant deadline) {
        return Duration.between(clock.instant(), deadline);
    }

    /**
     * The deadline passed. When no attempt was ever written to WeChat (the request waited for signing or budget all
     * along), nothing can have happened there: the failure is Unreachable, retryable, and the dedupe key is released.
     * Otherwise the outcome is unknown.
     */
    private UpstreamFailure deadlinePassed(boolean written) {
        long millis = settings.deadline().toMillis();
        return written
                ? new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown(
                        "no final answer from WeChat Pay within the " + millis + " ms deadline"))
                : new UpstreamFailure(new UpstreamOutcome.Unreachable(
                        "no attempt was sent to WeChat Pay within the " + millis + " ms deadline"));
    }

    @Override
    public int getOrder() {
        return PipelineStage.RETRY.order();
    }

    @Override
    public String toString() {
        return "UpstreamRetry(" + settings + ")";
    }
}
