package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The signing stage under a backlog, with a signing scheduler that runs its queued tasks only when the test says so
 * and a monotonic clock the test moves by hand.
 */
class WeChatPaySignFilterTest {

    private static final Duration MAX_QUEUE_TIME = Duration.ofSeconds(1);

    private final Queue<Runnable> signingQueue = new ArrayDeque<>();
    private final Scheduler signingScheduler = Schedulers.fromExecutor(signingQueue::add);
    private final AtomicLong nanos = new AtomicLong(42_000_000_000L);
    private final AtomicInteger keyLookups = new AtomicInteger();
    private final AtomicInteger chainCalls = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MerchantCredentials credentials = new MerchantCredentials(
            "1900000001", MerchantTestKeys.SERIAL_A, PemKeys.privateKey(MerchantTestKeys.KEY_A));
    private final MerchantKeySource keys = () -> {
        keyLookups.incrementAndGet();
        return credentials;
    };

    @AfterEach
    void disposeScheduler() {
        signingScheduler.dispose();
    }

    @Test
    void signsAQueuedRequestWhoseTurnComesWithinMaxQueueTimeAndRecordsItsWait() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange();

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    assertThat(PaymentExchange.signedAuthorization(exchange)).isEmpty();
                    advance(Duration.ofMillis(300));
                    runQueuedSigningTasks();
                })
                .verifyComplete();

        assertThat(PaymentExchange.signedAuthorization(exchange))
                .hasValueSatisfying(auth -> assertThat(auth)
                        .startsWith("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\"")
                        .contains("serial_no=\"" + MerchantTestKeys.SERIAL_A + "\""));
        assertThat(keyLookups).hasValue(1);
        assertThat(chainCalls).hasValue(1);
        assertThat(meters.get(SigningMetrics.QUEUE).timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(300.0);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void refusesUnsignedARequestThatWaitedLongerThanMaxQueueTime() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange();

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    advance(MAX_QUEUE_TIME.plusMillis(1));
                    runQueuedSigningTasks();
                })
                .expectErrorSatisfies(WeChatPaySignFilterTest::assertRetryableOverload)
                .verify();

        assertThat(keyLookups).hasValue(0);
        assertThat(chainCalls).hasValue(0);
        assertThat(PaymentExchange.signedAuthorization(exchange)).isEmpty();
        assertThat(shed("stale")).isEqualTo(1.0);
        assertThat(shed("full")).isZero();
        assertThat(meters.get(SigningMetrics.QUEUE).timer().count()).isEqualTo(1);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void refusesAtOnceAnArrivalBeyondMaxPendingWithoutQueueingIt() {
        SigningBacklog backlog = backlog(2);
        WeChatPaySignFilter filter = filter(backlog);
        Disposable first = filter.filter(exchange(), chain(Mono.empty())).subscribe();
        Disposable second = filter.filter(exchange(), chain(Mono.empty())).subscribe();

        StepVerifier.create(filter.filter(exchange(), chain(Mono.empty())))
                .expectErrorSatisfies(WeChatPaySignFilterTest::assertRetryableOverload)
                .verify(Duration.ZERO);

        assertThat(signingQueue).hasSize(2);
        assertThat(shed("full")).isEqualTo(1.0);
        assertThat(meters.get(SigningMetrics.PENDING).gauge().value()).isEqualTo(2.0);
        runQueuedSigningTasks();
        assertThat(first.isDisposed() && second.isDisposed()).isTrue();
        assertThat(keyLookups).hasValue(2);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void cancellingAQueuedRequestFreesItsPlaceAndItIsNeverSigned() {
        SigningBacklog backlog = backlog(1);
        WeChatPaySignFilter filter = filter(backlog);
        Disposable queued = filter.filter(exchange(), chain(Mono.empty())).subscribe();
        assertThat(backlog.pending()).isEqualTo(1);

        queued.dispose();

        assertThat(backlog.pending()).isZero();
        StepVerifier.create(filter.filter(exchange(), chain(Mono.empty())))
                .then(this::runQueuedSigningTasks)
                .verifyComplete();
        assertThat(keyLookups).hasValue(1);
        assertThat(chainCalls).hasValue(1);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void aSignedRequestLeavesTheBacklogWhileTheStagesAfterItStillRun() {
        SigningBacklog backlog = backlog(1);
        WeChatPaySignFilter filter = filter(backlog);
        Disposable waitingForBudget =
                filter.filter(exchange(), chain(Mono.never())).subscribe();

        runQueuedSigningTasks();

        assertThat(chainCalls).hasValue(1);
        assertThat(waitingForBudget.isDisposed()).isFalse();
        assertThat(backlog.pending()).isZero();
        waitingForBudget.dispose();
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void eachSubscriptionTakesItsOwnPlaceSoARetriedAttemptIsBoundedToo() {
        SigningBacklog backlog = backlog(1);
        Mono<Void> attempt = filter(backlog).filter(exchange(), chain(Mono.empty()));
        Disposable firstAttempt = attempt.subscribe();

        StepVerifier.create(attempt)
                .expectErrorSatisfies(WeChatPaySignFilterTest::assertRetryableOverload)
                .verify(Duration.ZERO);

        firstAttempt.dispose();
        assertThat(backlog.pending()).isZero();
    }

    private WeChatPaySignFilter filter(SigningBacklog backlog) {
        RequestSigner signer = new RequestSigner(
                Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC), new NonceGenerator());
        return new WeChatPaySignFilter(keys, signer, signingScheduler, backlog, new SigningMetrics(meters, backlog));
    }

    private SigningBacklog backlog(int maxPending) {
        return new SigningBacklog(new SigningSettings(MAX_QUEUE_TIME, maxPending), nanos::get);
    }

    private GatewayFilterChain chain(Mono<Void> rest) {
        return exchange -> {
            chainCalls.incrementAndGet();
            return rest;
        };
    }

    private static MockServerWebExchange exchange() {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
        PaymentExchange.body(exchange, "{\"coupon_code\":\"c-1\"}".getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private void runQueuedSigningTasks() {
        Runnable task;
        while ((task = signingQueue.poll()) != null) {
            task.run();
        }
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private double shed(String reason) {
        return meters.get(SigningMetrics.SHED).tag("reason", reason).counter().count();
    }

    private static void assertRetryableOverload(Throwable error) {
        assertThat(error).isInstanceOf(GatewayRejection.class);
        GatewayRejection rejection = (GatewayRejection) error;
        assertThat(rejection.code()).isEqualTo(GatewayCode.SERVICE_UNAVAILABLE);
        assertThat(rejection.code().retryable()).isTrue();
        assertThat(rejection.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }
}
