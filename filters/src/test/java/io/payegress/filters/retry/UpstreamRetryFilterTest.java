package io.payegress.filters.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.PaymentExchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class UpstreamRetryFilterTest {

    private static final UpstreamFailure SYSTEM_ERROR =
            new UpstreamFailure(new UpstreamOutcome.Answered(500, "SYSTEM_ERROR", "系统繁忙", "r-1", null));
    private static final UpstreamFailure SYSTEM_ERROR_400 =
            new UpstreamFailure(new UpstreamOutcome.Answered(400, "SYSTEM_ERROR", "系统繁忙", "r-1", null));
    private static final UpstreamFailure TIMEOUT = new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown("timeout"));
    private static final UpstreamFailure REFUSED = new UpstreamFailure(new UpstreamOutcome.Unreachable("refused"));
    private static final UpstreamFailure ALREADY_USED =
            new UpstreamFailure(new UpstreamOutcome.Answered(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "r-2", null));

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger attempts = new AtomicInteger();

    private GatewayFilterChain failingWith(List<UpstreamFailure> failures) {
        Deque<UpstreamFailure> queue = new ArrayDeque<>(failures);
        return exchange -> Mono.defer(() -> {
            attempts.incrementAndGet();
            UpstreamFailure next = queue.poll();
            return next == null ? Mono.empty() : Mono.error(next);
        });
    }

    private UpstreamRetryFilter filter(int maxAttempts) {
        return new UpstreamRetryFilter(
                new RetrySettings(Duration.ofSeconds(8), maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(1)),
                clock);
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));
    }

    @Test
    void retriesTransientFailuresUntilAnAttemptSucceeds() {
        GatewayFilterChain chain = failingWith(List.of(SYSTEM_ERROR, TIMEOUT));

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(5))
                .verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void retriesSystemErrorAnsweredWith400AndConnectFailures() {
        GatewayFilterChain chain = failingWith(List.of(SYSTEM_ERROR_400, REFUSED));

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(5))
                .verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void neverRetriesAFinalWeChatAnswer() {
        GatewayFilterChain chain = failingWith(List.of(ALREADY_USED));

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(ALREADY_USED))
                .verify();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailure() {
        GatewayFilterChain chain = failingWith(List.of(SYSTEM_ERROR, SYSTEM_ERROR, TIMEOUT, SYSTEM_ERROR));

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(TIMEOUT))
                .verify();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void endsWithOutcomeUnknownWhenTheDeadlinePassesDuringAnAttempt() {
        GatewayFilterChain chain = exchange -> {
            PaymentExchange.markWritten(exchange);
            return Mono.never();
        };

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(8))
                .expectErrorSatisfies(e ->
                        assertThat(((UpstreamFailure) e).outcome()).isInstanceOf(UpstreamOutcome.OutcomeUnknown.class))
                .verify();
    }

    @Test
    void endsUnreachableWhenTheDeadlinePassesBeforeAnyAttemptWasWritten() {
        GatewayFilterChain chain = exchange -> Mono.never();

        StepVerifier.withVirtualTime(() -> filter(3).filter(exchange(), chain))
                .thenAwait(Duration.ofSeconds(8))
                .expectErrorSatisfies(e -> {
                    UpstreamFailure failure = (UpstreamFailure) e;
                    assertThat(failure.outcome()).isInstanceOf(UpstreamOutcome.Unreachable.class);
                    assertThat(failure.isTransient()).isTrue();
                })
                .verify();
    }
}
