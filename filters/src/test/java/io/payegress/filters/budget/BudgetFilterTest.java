package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.pipeline.LateDeparture;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class BudgetFilterTest {

    /** A 1 s safety margin, so that a slow test machine never makes a grant too late to use. */
    private final BudgetSettings settings =
            withMargin(BudgetSettings.defaults("coupons-use", 4), Duration.ofSeconds(1));

    /**
     * Its own timer threads, disposed after each test, not the shared {@code Schedulers.parallel()}. (The deadline test's
     * occasional silence, once blamed on the shared scheduler, was the filter's renewal overflowing the stack; see
     * {@code thousandsOfGrantsMissedAtOnceDoNotGrowTheStack}.)
     */
    private final Scheduler timers = Schedulers.newParallel("budget-filter-test", 2, true);

    private final BudgetLimiter limiter = new BudgetLimiter(
            settings,
            new LocalBudgetStore(settings, 4, 1, Duration.ZERO, System::nanoTime),
            "r1",
            new BudgetMetrics(new SimpleMeterRegistry()),
            System::nanoTime,
            Clock.systemUTC(),
            timers);
    private final BudgetFilter filter = new BudgetFilter(limiter);
    private final AtomicInteger forwarded = new AtomicInteger();

    static BudgetSettings withMargin(BudgetSettings d, Duration margin) {
        return new BudgetSettings(
                d.name(),
                d.limit(),
                d.maxWait(),
                margin,
                d.minLimit(),
                d.recoveryPerSecond(),
                d.decreaseFactor(),
                d.horizon(),
                d.dispatchInterval(),
                d.heartbeat(),
                d.redisFailure(),
                Duration.ZERO,
                BudgetSettings.defaultLateTolerance(margin));
    }

    @AfterEach
    void close() {
        limiter.close();
        timers.dispose();
    }

    private MockServerWebExchange exchange() {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
        PaymentExchange.tenant(exchange, FairQueueTest.tenant("store-001", 1, OptionalInt.empty()));
        return exchange;
    }

    private GatewayFilterChain chainAnswering(Mono<Void> answer) {
        return exchange -> {
            forwarded.incrementAndGet();
            return answer;
        };
    }

    @Test
    void aRequestWhoseGrantWentStaleBeforeItLeftAsksForANewTokenAndLeavesOnTime() {
        // on virtual time: a cold JVM's first dispatch (class loading) must not make the grant late in this test
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        BudgetLimiter virtual = new BudgetLimiter(
                settings,
                new LocalBudgetStore(settings, 4, 1, Duration.ZERO, () -> time.now(TimeUnit.NANOSECONDS)),
                "r1",
                new BudgetMetrics(new SimpleMeterRegistry()),
                () -> time.now(TimeUnit.NANOSECONDS),
                Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC),
                time);
        AtomicInteger stale = new AtomicInteger(1);
        GatewayFilterChain chain = exchange -> {
            forwarded.incrementAndGet();
            boolean late = stale.getAndDecrement() > 0;
            boolean mayLeave = PaymentExchange.departure(exchange).orElseThrow().fresh();
            assertThat(mayLeave).isTrue();
            return late ? Mono.error(new LateDeparture()) : Mono.empty();
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger completed = new AtomicInteger();

        new BudgetFilter(virtual).filter(exchange(), chain).subscribe(null, failure::set, completed::incrementAndGet);
        time.advanceTimeBy(Duration.ofMillis(100));

        assertThat(failure.get()).isNull();
        assertThat(completed).hasValue(1);
        assertThat(forwarded).hasValue(2);
        assertThat(virtual.health().waiting()).isZero();
        virtual.close();
        time.dispose();
    }

    @Test
    void aRequestThatKeepsMissingItsSlotGivesEachGrantBackAndAsksAgainUntilItLeaves() {
        AtomicInteger stale = new AtomicInteger(12);
        GatewayFilterChain chain = exchange -> {
            forwarded.incrementAndGet();
            Departure departure = PaymentExchange.departure(exchange).orElseThrow();
            if (stale.getAndDecrement() > 0) {
                assertThat(departure.fresh()).isTrue();
                return Mono.error(new LateDeparture());
            }
            return Mono.empty();
        };

        StepVerifier.create(filter.filter(exchange(), chain)).verifyComplete();

        assertThat(forwarded)
                .as("12 misses, three times the limit of 4, and the request still leaves: no fixed count of tokens")
                .hasValue(13);
    }

    @Test
    void thousandsOfGrantsMissedAtOnceDoNotGrowTheStack() {
        AtomicInteger stale = new AtomicInteger(20_000);
        GatewayFilterChain chain = exchange -> {
            forwarded.incrementAndGet();
            return stale.getAndDecrement() > 0 ? Mono.error(new LateDeparture()) : Mono.empty();
        };
        MockServerWebExchange exchange = exchange();
        PaymentExchange.deadline(exchange, Instant.now().plusSeconds(60));

        StepVerifier.create(filter.filter(exchange, chain))
                .as("each renewal asked in a loop: a recursion overflowed the stack after a few thousand")
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        assertThat(forwarded).hasValue(20_001);
    }

    @Test
    void aRequestThatKeepsMissingItsSlotIsRefusedOnlyWhenItsDeadlinePasses() {
        GatewayFilterChain alwaysLate = exchange -> {
            forwarded.incrementAndGet();
            return Mono.error(new LateDeparture());
        };
        MockServerWebExchange exchange = exchange();
        PaymentExchange.deadline(exchange, Instant.now().plusMillis(300));

        StepVerifier.create(filter.filter(exchange, alwaysLate))
                .expectErrorSatisfies(e -> assertThat(e)
                        .as("the limit had room all along: the gateway was too busy, retryable, never 429")
                        .isInstanceOfSatisfying(GatewayRejection.class, r -> {
                            assertThat(r.code()).isEqualTo(GatewayCode.SERVICE_UNAVAILABLE);
                            assertThat(r.code().retryable()).isTrue();
                        }))
                .verify(Duration.ofSeconds(5));
        assertThat(forwarded.get()).isGreaterThan(4);
    }

    @Test
    void runsInTheBudgetStage() {
        assertThat(filter.getOrder()).isEqualTo(PipelineStage.BUDGET.order());
        assertThat(filter).hasToString("Budget[coupons-use]");
    }

    @Test
    void forwardsWhenATokenIsGrantedAndRefusesWith429WhenNoneIsLeft() {
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(filter.filter(exchange(), chainAnswering(Mono.empty())))
                    .verifyComplete();
        }
        StepVerifier.create(filter.filter(exchange(), chainAnswering(Mono.empty())))
                .verifyError(GatewayRejection.class);

        assertThat(forwarded).hasValue(4);
    }

    @Test
    void anUpstream429ShrinksTheLimitAndStillPropagates() {
        UpstreamFailure throttled =
                new UpstreamFailure(new UpstreamOutcome.Answered(429, "FREQUENCY_LIMITED", "too fast", "req-1", null));

        StepVerifier.create(filter.filter(exchange(), chainAnswering(Mono.error(throttled))))
                .verifyErrorMatches(e -> e == throttled);

        StepVerifier.create(filter.filter(exchange(), chainAnswering(Mono.empty())))
                .verifyComplete();
        assertThat(limiter.health().effectiveLimit()).isEqualTo(3);
    }
}
