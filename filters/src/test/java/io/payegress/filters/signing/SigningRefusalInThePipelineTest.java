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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * What the stages around signing make of its refusal: the retry stage does not spend the request's deadline on it,
 * and the merchant is told to send the same request again after Retry-After.
 */
class SigningRefusalInThePipelineTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);

    private final AtomicInteger keyLookups = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SigningBacklog full =
            new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 1), new AtomicLong()::get);

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
        full.arrive();
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

    @Test
    void theMerchantIsToldToRetryTheSameRequestAfterOneSecond() {
        full.arrive();
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
