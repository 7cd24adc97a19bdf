package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class BudgetAdmissionGatewayFilterFactoryTest {

    private static final Tenant NOISY = FairQueueTest.tenant("noisy", 1, OptionalInt.empty());

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final BudgetSettings settings = BudgetSettings.defaults("coupons-use", 2);
    private final BudgetLimiters limiters = new BudgetLimiters(
            s -> new LocalBudgetStore(s, s.limit(), 1, Duration.ZERO, () -> time.now(TimeUnit.NANOSECONDS)),
            new SimpleMeterRegistry(),
            "r1",
            () -> time.now(TimeUnit.NANOSECONDS),
            Clock.systemUTC(),
            time);
    private final AtomicInteger passed = new AtomicInteger();
    private final GatewayFilterChain chain = exchange -> {
        passed.incrementAndGet();
        return Mono.empty();
    };

    @AfterEach
    void close() {
        limiters.close();
    }

    private static MockServerWebExchange exchange() {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
        PaymentExchange.tenant(exchange, NOISY);
        return exchange;
    }

    private GatewayFilter filter() {
        BudgetAdmissionGatewayFilterFactory.Config config = new BudgetAdmissionGatewayFilterFactory.Config();
        config.setName("coupons-use");
        return new BudgetAdmissionGatewayFilterFactory(limiters).apply(config);
    }

    /** 1.5 s of the noisy tenant asking twice as often as the budget grants: saturated for longer than a second. */
    private void saturate(BudgetLimiter limiter) {
        ask(limiter, 30, NOISY);
    }

    /** Each of the tenants asks twice every 50 ms, {@code times} times (40/s each against a limit of 2/s). */
    private void ask(BudgetLimiter limiter, int times, Tenant... tenants) {
        for (int i = 0; i < times; i++) {
            for (Tenant tenant : tenants) {
                limiter.acquire("coupons-use", tenant, null).subscribe(permit -> {}, error -> {});
                limiter.acquire("coupons-use", tenant, null).subscribe(permit -> {}, error -> {});
            }
            time.advanceTimeBy(Duration.ofMillis(50));
        }
    }

    @Test
    void runsRightAfterAuthenticationBeforeTheSigningAdmissionAndTheBody() {
        int order = ((Ordered) filter()).getOrder();
        assertThat(order)
                .isGreaterThan(PipelineStage.AUTHENTICATION.order())
                .isLessThan(PipelineStage.SIGNING_ADMISSION.order())
                .isLessThan(PipelineStage.REQUEST_BODY.order());
    }

    @Test
    void passesWhileTheBudgetKeepsUpOrDoesNotExistYet() {
        StepVerifier.create(filter().filter(exchange(), chain)).verifyComplete();
        limiters.limiter(settings);
        StepVerifier.create(filter().filter(exchange(), chain)).verifyComplete();
        assertThat(passed).hasValue(2);
    }

    @Test
    void countsAnAdmittedRequestUntilItsChainEnds() {
        BudgetLimiter limiter = limiters.limiter(settings);
        Tenant quiet = FairQueueTest.tenant("quiet", 1, OptionalInt.empty());
        // both tenants offer far more than their shares; then the quiet one stops and its queue ends at max-wait,
        // while what it offered lately is still more than its share
        ask(limiter, 30, NOISY, quiet);
        ask(limiter, 6, NOISY);
        MockServerWebExchange first = exchange();
        PaymentExchange.tenant(first, quiet);
        MockServerWebExchange second = exchange();
        PaymentExchange.tenant(second, quiet);
        Sinks.Empty<Void> signing = Sinks.empty();

        // what the saturated budget grants the tenant in half of max-wait: one request ahead at most (2/s)
        filter().filter(first, exchange -> signing.asMono()).subscribe();
        StepVerifier.create(filter().filter(second, chain))
                .expectError(GatewayRejection.class)
                .verify(Duration.ofSeconds(5));

        signing.tryEmitEmpty();
        StepVerifier.create(filter().filter(second, chain)).verifyComplete();
        assertThat(passed).hasValue(1);
    }

    @Test
    void countsWhatATenantOffersWhereItsRequestsAreAdmittedNotWhereTheyReachTheBudget() {
        saturate(limiters.limiter(settings));
        Tenant quiet = FairQueueTest.tenant("quiet", 1, OptionalInt.empty());
        Sinks.Empty<Void> signing = Sinks.empty(); // never done: none of them reaches the budget's queue
        AtomicInteger refused = new AtomicInteger();

        // 20/s for a second, ten times its share of the saturated limit of 2/s
        for (int i = 0; i < 20; i++) {
            MockServerWebExchange exchange = exchange();
            PaymentExchange.tenant(exchange, quiet);
            filter().filter(exchange, admitted -> signing.asMono())
                    .subscribe(done -> {}, error -> refused.incrementAndGet());
            ask(limiters.limiter(settings), 1, NOISY); // the noisy tenant keeps the budget saturated meanwhile
        }

        assertThat(refused)
                .as("shed once the store says it offers more than its share")
                .hasPositiveValue();
    }

    @Test
    void refusesWith429AndRetryAfterWithoutGoingOnWhenTheSaturatedBudgetCouldNotGrantIt() {
        saturate(limiters.limiter(settings));

        StepVerifier.create(filter().filter(exchange(), chain))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(GatewayRejection.class, r -> {
                    assertThat(r.code()).isEqualTo(GatewayCode.RATE_LIMITED);
                    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                }))
                .verify(Duration.ofSeconds(5));
        assertThat(passed).hasValue(0);
    }
}
