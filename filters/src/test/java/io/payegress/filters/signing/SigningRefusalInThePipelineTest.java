package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantError;
import io.payegress.filters.error.MerchantErrorMapper;
import io.payegress.filters.retry.RetrySettings;
import io.payegress.filters.retry.UpstreamRetryFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * What the stages around signing make of its refusal: the retry stage does not spend the request's deadline on it,
 * and the merchant is told to send the same request again after Retry-After. And the deadline the signing stage
 * measures the time left against is the one the retry stage set.
 */
class SigningRefusalInThePipelineTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);

    private final AtomicInteger keyLookups = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SigningBacklog full =
            new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 1), new AtomicLong()::get, CLOCK);

    private WeChatPaySignFilter signing() {
        MerchantKeySource keys = () -> {
            keyLookups.incrementAndGet();
            throw new IllegalStateException("a refused request is never signed");
        };
        return new WeChatPaySignFilter(
                keys,
                new RequestSigner(CLOCK, new NonceGenerator()),
                Schedulers.immediate(),
                full,
                new SigningMetrics(meters, full));
    }

    @Test
    void theRetryStageDoesNotRetryASigningRefusal() {
        full.arrive(null);
        WeChatPaySignFilter signing = signing();
        GatewayFilterChain forward = exchange -> Mono.empty();
        UpstreamRetryFilter retry = new UpstreamRetryFilter(
                new RetrySettings(Duration.ofSeconds(8), 3, Duration.ofMillis(100), Duration.ofSeconds(1)), CLOCK);
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));

        StepVerifier.withVirtualTime(() -> retry.filter(exchange, e -> signing.filter(e, forward)))
                .thenAwait(Duration.ofSeconds(8))
                .expectError(GatewayRejection.class)
                .verify();

        assertThat(meters.get(SigningMetrics.SHED)
                        .tag("reason", "full")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(keyLookups).hasValue(0);
    }

    @ParameterizedTest(name = "picked up {0} ms after the retry stage set an 8 s deadline: signed {1}")
    @CsvSource({"1500, true", "6999, true", "7001, false"})
    void theSigningStageRefusesOnlyWhenLessThanMinTimeLeftIsLeftOfTheRetryStagesDeadline(
            long pickedUpAfterMillis, boolean signed) {
        MutableClock clock = new MutableClock(CLOCK.instant());
        AtomicLong nanos = new AtomicLong();
        Queue<Runnable> signingQueue = new ArrayDeque<>();
        SigningBacklog backlog = new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 10), nanos::get, clock);
        MerchantKeySource keys = () -> {
            keyLookups.incrementAndGet();
            return new MerchantCredentials(
                    "1900000001", MerchantTestKeys.SERIAL_A, PemKeys.privateKey(MerchantTestKeys.KEY_A));
        };
        WeChatPaySignFilter signing = new WeChatPaySignFilter(
                keys,
                new RequestSigner(clock, new NonceGenerator()),
                Schedulers.fromExecutor(signingQueue::add),
                backlog,
                new SigningMetrics(meters, backlog));
        UpstreamRetryFilter retry = new UpstreamRetryFilter(
                new RetrySettings(Duration.ofSeconds(8), 3, Duration.ofMillis(100), Duration.ofSeconds(1)), clock);
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));
        AtomicInteger forwarded = new AtomicInteger();

        StepVerifier.Step<Void> step = StepVerifier.create(retry.filter(
                        exchange, e -> signing.filter(e, attempt -> Mono.fromRunnable(forwarded::incrementAndGet))))
                .then(() -> {
                    Duration waited = Duration.ofMillis(pickedUpAfterMillis);
                    clock.advance(waited);
                    nanos.addAndGet(waited.toNanos());
                    signingQueue.poll().run();
                });
        if (signed) {
            step.verifyComplete();
        } else {
            step.expectError(GatewayRejection.class).verify();
        }

        assertThat(forwarded).hasValue(signed ? 1 : 0);
        assertThat(keyLookups).hasValue(signed ? 1 : 0);
        assertThat(meters.get(SigningMetrics.SHED)
                        .tag("reason", "stale")
                        .counter()
                        .count())
                .isEqualTo(signed ? 0.0 : 1.0);
        assertThat(signingQueue).isEmpty();
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void theMerchantIsToldToRetryTheSameRequestAfterOneSecond() {
        full.arrive(null);
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));
        GatewayRejection[] refusal = new GatewayRejection[1];

        StepVerifier.create(signing().filter(exchange, e -> Mono.empty()))
                .expectErrorSatisfies(e -> refusal[0] = (GatewayRejection) e)
                .verify(Duration.ZERO);

        MerchantError error = MerchantErrorMapper.couponsUseDefaults().map(refusal[0]);
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.code()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(error.retryable()).isTrue();
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }
}
