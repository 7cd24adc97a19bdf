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
import org.jspecify.annotations.Nullable;
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
 * The signing stage under a backlog, with a signing scheduler that runs its queued tasks only when the test says so,
 * and a monotonic clock and a wall clock (the one deadlines refer to) the test moves together by hand.
 */
class WeChatPaySignFilterTest {

    private static final Duration MIN_TIME_LEFT = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(8);

    private final Queue<Runnable> signingQueue = new ArrayDeque<>();
    private final Scheduler signingScheduler = Schedulers.fromExecutor(signingQueue::add);
    private final AtomicLong nanos = new AtomicLong(42_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
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
    void signsAQueuedRequestWhoseTurnComesLateButWithPlentyOfTimeBeforeItsDeadlineAndRecordsItsWait() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange(clock.instant().plusMillis(7500));

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    assertThat(PaymentExchange.signedAuthorization(exchange)).isEmpty();
                    advance(Duration.ofMillis(1500));
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
                .isEqualTo(1500.0);
        assertThat(shed("stale")).isZero();
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void refusesUnsignedARequestPickedUpWithLessThanMinTimeLeftBeforeItsDeadline() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange();

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    advance(DEADLINE.minus(MIN_TIME_LEFT).plusMillis(1));
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
    void refusesUnsignedARequestThatArrivedWithLessThanMinTimeLeftHoweverShortItsWait() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange(clock.instant().plusMillis(900));

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    advance(Duration.ofMillis(5));
                    runQueuedSigningTasks();
                })
                .expectErrorSatisfies(WeChatPaySignFilterTest::assertRetryableOverload)
                .verify();

        assertThat(keyLookups).hasValue(0);
        assertThat(chainCalls).hasValue(0);
        assertThat(shed("stale")).isEqualTo(1.0);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void signsARequestWithoutADeadlineHoweverLongItWaited() {
        SigningBacklog backlog = backlog(10);
        MockServerWebExchange exchange = exchange(null);

        StepVerifier.create(filter(backlog).filter(exchange, chain(Mono.empty())))
                .then(() -> {
                    advance(Duration.ofMinutes(1));
                    runQueuedSigningTasks();
                })
                .verifyComplete();

        assertThat(PaymentExchange.signedAuthorization(exchange)).isPresent();
        assertThat(keyLookups).hasValue(1);
        assertThat(chainCalls).hasValue(1);
        assertThat(shed("stale")).isZero();
        assertThat(meters.get(SigningMetrics.QUEUE).timer().totalTime(TimeUnit.SECONDS))
                .isEqualTo(60.0);
        assertThat(backlog.pending()).isZero();
    }

    @Test
    void refusesAtOnceAnArrivalWhoseTurnWouldComeTooLateAtTheMeasuredPaceAndCountsItAsBehind() {
        SigningBacklog backlog = backlog(10);
        WeChatPaySignFilter filter = filter(backlog);
        for (int i = 0; i < 4; i++) {
            filter.filter(exchange(null), chain(Mono.empty())).subscribe();
        }
        advance(Duration.ofSeconds(7));
        runNextQueuedSigningTask(); // picked up after 7 s
        advance(Duration.ofSeconds(4));
        runNextQueuedSigningTask(); // after 11 s: the backlog drains one request every 4 s; 2 are still pending

        StepVerifier.create(filter.filter(exchange(), chain(Mono.empty())))
                .expectErrorSatisfies(WeChatPaySignFilterTest::assertRetryableOverload)
                .verify(Duration.ZERO);

        assertThat(shed("behind"))
                .as("its turn would come 8 s from now at the pace, 7.5 s by the waits just seen: under 1 s before its"
                        + " deadline")
                .isEqualTo(1.0);
        assertThat(shed("stale")).isZero();
        assertThat(shed("full")).isZero();
        assertThat(signingQueue).as("nothing queued for it").hasSize(2);
        runQueuedSigningTasks();
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
        return new SigningBacklog(new SigningSettings(MIN_TIME_LEFT, maxPending), nanos::get, clock);
    }

    private GatewayFilterChain chain(Mono<Void> rest) {
        return exchange -> {
            chainCalls.incrementAndGet();
            return rest;
        };
    }

    /** A request the retry stage gave the route's 8 s deadline, now. */
    private MockServerWebExchange exchange() {
        return exchange(clock.instant().plus(DEADLINE));
    }

    /** A request with this deadline; null: no retry stage set one. */
    private static MockServerWebExchange exchange(@Nullable Instant deadline) {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
        PaymentExchange.body(exchange, "{\"coupon_code\":\"c-1\"}".getBytes(StandardCharsets.UTF_8));
        if (deadline != null) {
            PaymentExchange.deadline(exchange, deadline);
        }
        return exchange;
    }

    private void runQueuedSigningTasks() {
        Runnable task;
        while ((task = signingQueue.poll()) != null) {
            task.run();
        }
    }

    private void runNextQueuedSigningTask() {
        signingQueue.remove().run();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        clock.advance(duration);
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
