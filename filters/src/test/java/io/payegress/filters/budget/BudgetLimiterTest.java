package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Count;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Departed;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Request;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The limiter on virtual time with the in-memory store; Redis itself is covered by the Redis tests. */
class BudgetLimiterTest {

    private static final Tenant NOISY = FairQueueTest.tenant("noisy", 1, OptionalInt.empty());
    private static final Tenant QUIET = FairQueueTest.tenant("quiet", 1, OptionalInt.empty());

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final List<BudgetLimiter> limiters = new CopyOnWriteArrayList<>();

    /** A store that fails while {@code down}, like an unreachable Redis. */
    static class Switchable implements BudgetStore {
        final BudgetStore store;
        volatile boolean down;

        Switchable(BudgetStore store) {
            this.store = store;
        }

        @Override
        public Mono<Allocation> allocate(Request request) {
            return down ? Mono.error(new IllegalStateException("connection refused")) : store.allocate(request);
        }

        @Override
        public Mono<Double> throttled() {
            return down ? Mono.error(new IllegalStateException("connection refused")) : store.throttled();
        }

        @Override
        public boolean connected() {
            return !down && store.connected();
        }
    }

    /** What happened to one request: its permit or its failure, and when (virtual millis). */
    static final class Result {
        volatile @Nullable BudgetPermit permit;
        volatile @Nullable Throwable failure;
        volatile long atMillis = -1;
    }

    @AfterEach
    void close() {
        limiters.forEach(BudgetLimiter::close);
    }

    /** Settings that hand grants out at their slot (no lead), unless a test asks for one. */
    private static BudgetSettings settings(int limit, Duration maxWait) {
        return settings(limit, maxWait, Duration.ZERO);
    }

    private static BudgetSettings settings(int limit, Duration maxWait, Duration lead) {
        BudgetSettings d = BudgetSettings.defaults("coupons-use", limit);
        return new BudgetSettings(
                d.name(),
                limit,
                maxWait,
                d.safetyMargin(),
                1,
                d.recoveryPerSecond(),
                0.5,
                d.horizon(),
                d.dispatchInterval(),
                d.heartbeat(),
                d.redisFailure(),
                lead,
                d.lateTolerance());
    }

    private long nanos() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    private LocalBudgetStore local(BudgetSettings settings) {
        return new LocalBudgetStore(settings, settings.limit(), 1, Duration.ZERO, this::nanos);
    }

    private BudgetLimiter limiter(BudgetSettings settings, BudgetStore store) {
        BudgetLimiter limiter =
                new BudgetLimiter(settings, store, "r1", new BudgetMetrics(meters), this::nanos, clock, time);
        limiters.add(limiter);
        return limiter;
    }

    private Result acquire(BudgetLimiter limiter, Tenant tenant, @Nullable Instant deadline) {
        Result result = new Result();
        limiter.acquire("coupons-use", tenant, deadline)
                .subscribe(
                        permit -> {
                            result.permit = permit;
                            result.atMillis = time.now(TimeUnit.MILLISECONDS);
                        },
                        failure -> {
                            result.failure = failure;
                            result.atMillis = time.now(TimeUnit.MILLISECONDS);
                        });
        return result;
    }

    private void advance(Duration duration) {
        time.advanceTimeBy(duration);
    }

    @Test
    void admitsAtOnceWhileBudgetIsLeft() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));

        Result result = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);

        assertThat(result.permit).isNotNull();
        assertThat(result.permit.outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(result.atMillis).isZero();
        assertThat(meters.get("payegress.budget.decisions")
                        .tags("tenant", "quiet", "outcome", "admitted")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void shedsANoisyTenantWhoseQueueHoldsMoreThanTheSaturatedBudgetCanGrantItButNeverAQuietOne() {
        BudgetSettings settings = settings(2, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        assertThat(limiter.admissible(NOISY)).isTrue();

        for (int i = 0; i < 15; i++) {
            acquire(limiter, NOISY, null);
            acquire(limiter, NOISY, null);
            acquire(limiter, NOISY, null);
            advance(Duration.ofMillis(100));
        }

        assertThat(limiter.admissible(NOISY)).isFalse();
        assertThat(limiter.admissible(QUIET)).isTrue();
        limiter.shed("coupons-use", NOISY);
        assertThat(meters.get("payegress.budget.decisions")
                        .tags("tenant", "noisy", "outcome", "shed")
                        .counter()
                        .count())
                .isEqualTo(1);

        advance(Duration.ofSeconds(3));
        acquire(limiter, NOISY, null);
        advance(Duration.ZERO);
        assertThat(limiter.admissible(NOISY)).isTrue();
    }

    @Test
    void shedsATenantOverItsShareWhileTheBudgetKeepsUpWithWhatReachesIt() {
        BudgetSettings settings = settings(10, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        // the noisy tenant offers 40 a second, four times the limit, and its requests are all still on their way to the
        // queue (being signed, on a replica whose signing threads are behind); the quiet one asks twice a second and
        // is granted at once: the budget keeps up with what reaches it and is never saturated
        List<AdmissionTicket> onTheirWay = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 4; j++) {
                AdmissionTicket ticket = limiter.admit(NOISY);
                if (ticket != null) {
                    onTheirWay.add(ticket);
                }
            }
            if (i % 5 == 0) {
                acquire(limiter, QUIET, null);
            }
            advance(Duration.ofMillis(100));
        }

        assertThat(limiter.admissible(NOISY))
                .as("the limit has no room for what it offers, and it has more on its way than it is granted")
                .isFalse();
        assertThat(limiter.admissible(QUIET)).as("within its share").isTrue();
        assertThat(onTheirWay)
                .as("refused from when the store said it offers more than its share")
                .hasSizeLessThan(120);

        onTheirWay.forEach(AdmissionTicket::close);
        assertThat(limiter.admissible(NOISY)).as("nothing ahead of it").isTrue();
    }

    @Test
    void letsATenantHoldWhatItIsGrantedWhileItsRequestsMakeTheirWayToTheQueue() {
        BudgetSettings settings = settings(10, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        overShare(limiter);
        // alone on this replica, over its share: the limit's 10 a second, half of max-wait's worth ahead of it
        List<AdmissionTicket> first = admitted(limiter, NOISY);
        assertThat(first).hasSize(5);
        first.forEach(AdmissionTicket::close);

        // its requests take 400 ms from the admission to the budget's queue: what it is granted meanwhile may be on
        // the way too
        for (int i = 0; i < 100; i++) {
            AdmissionTicket ticket = limiter.admit(NOISY);
            if (ticket == null) {
                break;
            }
            MockServerWebExchange exchange =
                    MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
            ticket.attach(exchange);
            advance(Duration.ofMillis(400));
            assertThat(AdmissionTicket.firstAsk(exchange)).isTrue();
            ticket.close();
        }
        overShare(limiter);
        assertThat(admitted(limiter, NOISY))
                .as("10 a second over 400 ms and half a second")
                .hasSize(9);
    }

    /** Makes the store say the noisy tenant offers more than its share: 40 a second against a limit of 10. */
    private void overShare(BudgetLimiter limiter) {
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 4; j++) {
                AdmissionTicket ticket = limiter.admit(NOISY);
                if (ticket != null) {
                    ticket.close();
                }
            }
            if (i % 5 == 0) {
                acquire(limiter, QUIET, null);
            }
            advance(Duration.ofMillis(100));
        }
        assertThat(limiter.mayShed()).isTrue();
    }

    /** The tenant's requests admitted one after another, none leaving, until one is refused (at most 100). */
    private static List<AdmissionTicket> admitted(BudgetLimiter limiter, Tenant tenant) {
        List<AdmissionTicket> tickets = new ArrayList<>();
        for (AdmissionTicket ticket = limiter.admit(tenant);
                ticket != null && tickets.size() < 100;
                ticket = limiter.admit(tenant)) {
            tickets.add(ticket);
        }
        return tickets;
    }

    @Test
    void countsAdmittedRequestsStillOnTheirWayToTheQueueUntilTheirTicketsClose() {
        BudgetSettings settings = settings(10, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        // both tenants offer twice the limit; then the quiet one stops and its queue ends at max-wait, while what it
        // offered lately is still more than its share
        for (int i = 0; i < 20; i++) {
            acquire(limiter, NOISY, null);
            acquire(limiter, NOISY, null);
            acquire(limiter, QUIET, null);
            acquire(limiter, QUIET, null);
            advance(Duration.ofMillis(100));
        }
        for (int i = 0; i < 11; i++) {
            acquire(limiter, NOISY, null);
            acquire(limiter, NOISY, null);
            advance(Duration.ofMillis(100));
        }

        // the quiet tenant, with nothing queued, may have ahead of it what its share grants in half of max-wait: the
        // limit over the tenants with requests ahead here, queued or on their way (the noisy one, and the quiet one
        // from its first ticket on), 5/s: three requests being signed
        List<AdmissionTicket> tickets = new ArrayList<>();
        for (AdmissionTicket ticket = limiter.admit(QUIET);
                ticket != null && tickets.size() < 100;
                ticket = limiter.admit(QUIET)) {
            tickets.add(ticket);
        }
        assertThat(tickets).hasSize(3);
        assertThat(limiter.admissible(QUIET)).isFalse();

        tickets.get(0).close();
        tickets.get(0).close(); // once only
        assertThat(limiter.admissible(QUIET)).isTrue();
        assertThat(limiter.admit(QUIET)).isNotNull();
        assertThat(limiter.admit(QUIET)).isNull();
    }

    @Test
    void admitsEverythingWhileTheBudgetKeepsUpHoweverLongAQueue() {
        BudgetSettings settings = settings(1_000, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        for (int i = 0; i < 200; i++) {
            acquire(limiter, NOISY, null);
        }
        advance(Duration.ofSeconds(2));
        assertThat(limiter.admissible(NOISY)).isTrue();
    }

    @Test
    void aPermitMayLeaveUntilTheLateToleranceAfterItsSlotAndIsWastedAfter() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));
        Result result = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        BudgetPermit permit = result.permit;
        assertThat(permit).isNotNull();

        assertThat(limiter.mayLeave(permit)).isTrue();
        advance(settings.lateTolerance());
        assertThat(limiter.mayLeave(permit)).isTrue();
        advance(Duration.ofNanos(1));
        assertThat(limiter.mayLeave(permit)).isFalse();
        assertThat(meters.get("payegress.budget.wasted.grants")
                        .tags("reason", "late_departure")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void admitsASteadyStreamBelowTheLimitWithoutWaiting() {
        BudgetSettings settings = settings(5_000, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));
        List<Result> results = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 2_000; i++) {
            results.add(acquire(limiter, i % 2 == 0 ? QUIET : NOISY, null));
            advance(Duration.ofMillis(1));
        }
        advance(Duration.ofSeconds(1));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.permit).isNotNull();
            assertThat(r.permit.waited()).isZero();
        });
    }

    @Test
    void admitsASteadyStreamBelowTheLimitThroughAStoreThatAnswersIn5Ms() {
        BudgetSettings settings = settings(5_000, Duration.ofMillis(250));
        LocalBudgetStore store = local(settings);
        BudgetStore slow = new Switchable(store) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return Mono.delay(Duration.ofMillis(5), time).then(store.allocate(request));
            }
        };
        BudgetLimiter limiter = limiter(settings, slow);
        List<Result> results = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 2_000; i++) {
            results.add(acquire(limiter, i % 2 == 0 ? QUIET : NOISY, null));
            advance(Duration.ofMillis(1));
        }
        advance(Duration.ofSeconds(1));

        assertThat(results).allSatisfy(r -> assertThat(r.permit).isNotNull());
        assertThat(results.stream()
                        .mapToLong(r -> r.permit.waited().toMillis())
                        .max()
                        .orElseThrow())
                .isLessThanOrEqualTo(10);
    }

    @Test
    void aReplicaWhoseAnswersComeBackSlowlyAsksForLaterSlotsInsteadOfWastingItsGrants() {
        BudgetSettings settings = settings(100, Duration.ofSeconds(1));
        LocalBudgetStore store = local(settings);
        Duration slowerThanTheTolerance = settings.lateTolerance().plusMillis(30);
        AtomicInteger calls = new AtomicInteger();
        BudgetStore slow = new Switchable(store) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                // the first answer comes back at once and pins the store's clock; every later one is decided at
                // once and comes back slower than the late tolerance
                return calls.getAndIncrement() == 0
                        ? store.allocate(request)
                        : store.allocate(request).delayElement(slowerThanTheTolerance, time);
            }
        };
        BudgetLimiter limiter = limiter(settings, slow);
        List<Result> results = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            results.add(acquire(limiter, QUIET, null));
            advance(Duration.ofMillis(200));
        }
        advance(Duration.ofSeconds(2));

        assertThat(results)
                .as("every request is served, later rather than refused")
                .allSatisfy(r -> assertThat(r.permit).isNotNull());
        assertThat(meters.get("payegress.budget.wasted.grants")
                        .tags("reason", "late")
                        .counter()
                        .count())
                .as("after the first slow answer the lead covers the way back: no grant keeps arriving late")
                .isLessThanOrEqualTo(2.0);
    }

    @Test
    void rejectsWith429AndRetryAfterWhenNoTokenFreesWithinMaxWait() {
        BudgetSettings settings = settings(2, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));

        List<Result> results =
                List.of(acquire(limiter, NOISY, null), acquire(limiter, NOISY, null), acquire(limiter, NOISY, null));
        advance(Duration.ofMillis(300));

        assertThat(results.get(0).permit).isNotNull();
        assertThat(results.get(1).permit).isNotNull();
        assertThat(results.get(2).failure).isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
            assertThat(rejection.code()).isEqualTo(GatewayCode.RATE_LIMITED);
            assertThat(rejection.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(results.get(2).atMillis).isEqualTo(250);
    }

    @Test
    void rejectsWith429AtMaxWaitARequestWithADeadlineWhenTheStoreSaidTheLimitHadNoRoom() {
        BudgetSettings settings = settings(2, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));
        Instant deadline = clock.instant().plusSeconds(8);

        // eleven at once: 5.5/s over two seconds and 2.2/s over five, the lower more than the limit of 2/s
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            results.add(acquire(limiter, NOISY, deadline));
        }
        advance(Duration.ofMillis(300));

        assertThat(results.get(2).failure)
                .isInstanceOfSatisfying(
                        GatewayRejection.class,
                        rejection -> assertThat(rejection.code()).isEqualTo(GatewayCode.RATE_LIMITED));
        assertThat(results.get(2).atMillis).isEqualTo(250);
        assertThat(meters.find("payegress.budget.extended.waits").counter()).isNull();
    }

    @Test
    void aBurstWithinItsTenantsShareOfTheLimitWaitsPastMaxWaitForItsSlotInsteadOfA429() {
        BudgetSettings settings = settings(2, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));
        Instant deadline = clock.instant().plusSeconds(8);

        // three at once: 1.5/s over two seconds and 0.6/s over five, within the limit of 2/s, though the window has
        // room for two only; the third waits for the first slot that frees, a second later
        List<Result> results = List.of(
                acquire(limiter, NOISY, deadline),
                acquire(limiter, NOISY, deadline),
                acquire(limiter, NOISY, deadline));
        advance(Duration.ofMillis(300));
        assertThat(results.get(2).failure).as("not refused at max-wait").isNull();
        assertThat(results.get(2).permit).isNull();

        advance(Duration.ofSeconds(2));
        assertThat(results.get(2).permit).isNotNull();
        assertThat(results.get(2).atMillis).isGreaterThanOrEqualTo(settings.windowMicros() / 1_000);
        assertThat(meters.get("payegress.budget.extended.waits").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aRequestThatWaitedOnlyOnASlowStoreWhileTheLimitHadRoomWaitsPastMaxWaitForItsGrantInsteadOfA429() {
        BudgetSettings settings = settings(500, Duration.ofMillis(250));
        Duration[] there = {Duration.ZERO};
        // slow on the way there only: the store's clock stays pinned by the first, fast call
        BudgetLimiter limiter = limiter(settings, delayed(local(settings), there, new Duration[] {Duration.ZERO}));
        Result fast = acquire(limiter, QUIET, clock.instant().plusSeconds(8));
        advance(Duration.ofMillis(10));
        assertThat(fast.permit).isNotNull();

        there[0] = Duration.ofMillis(400);
        Result withDeadline = acquire(limiter, QUIET, clock.instant().plusSeconds(8));
        advance(Duration.ofMillis(500));

        assertThat(withDeadline.failure).isNull();
        assertThat(withDeadline.permit).as("granted when the slow answer came").isNotNull();
        assertThat(withDeadline.atMillis).isEqualTo(410);
        assertThat(meters.get("payegress.budget.extended.waits").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void withoutADeadlineAWaitOnASlowStoreStillEndsAtMaxWait() {
        BudgetSettings settings = settings(500, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(
                settings,
                delayed(local(settings), new Duration[] {Duration.ofMillis(400)}, new Duration[] {Duration.ZERO}));

        Result withoutDeadline = acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(500));

        assertThat(withoutDeadline.failure).isInstanceOf(GatewayRejection.class);
        assertThat(withoutDeadline.atMillis).isEqualTo(250);
    }

    @Test
    void aRequestWhoseStoreNeverAnswersIsRefusedRetryable503AtItsDeadlineNot429() {
        BudgetSettings settings = settings(500, Duration.ofMillis(250));
        BudgetStore silent = new Switchable(local(settings)) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return Mono.never();
            }
        };
        BudgetLimiter limiter = limiter(settings, silent);

        Result result = acquire(limiter, QUIET, clock.instant().plusSeconds(2));
        advance(Duration.ofSeconds(3));

        assertThat(result.failure).isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
            assertThat(rejection.code()).isEqualTo(GatewayCode.SERVICE_UNAVAILABLE);
            assertThat(rejection.code().retryable()).isTrue();
        });
        assertThat(result.atMillis).isEqualTo(2_000);
    }

    @Test
    void grantsAWaitingRequestTheSlotThatFreesOneWindowLater() {
        BudgetSettings settings = settings(2, Duration.ofSeconds(2));
        BudgetLimiter limiter = limiter(settings, local(settings));

        acquire(limiter, NOISY, null);
        acquire(limiter, NOISY, null);
        Result third = acquire(limiter, NOISY, null);
        advance(Duration.ofSeconds(2));

        assertThat(third.permit).isNotNull();
        assertThat(third.permit.outcome()).isEqualTo(Outcome.WAITED);
        assertThat(third.atMillis).isEqualTo(settings.windowMicros() / 1000);
    }

    @Test
    void aGrantIsHandedOutTheLeadBeforeItsSlotAndItsRequestHoldsUntilTheSlot() {
        BudgetSettings settings = settings(2, Duration.ofSeconds(2), Duration.ofMillis(50));
        BudgetLimiter limiter = limiter(settings, local(settings));
        acquire(limiter, NOISY, null);
        acquire(limiter, NOISY, null);
        Result third = acquire(limiter, NOISY, null);
        long slotMillis = settings.windowMicros() / 1000;

        advance(Duration.ofMillis(slotMillis - 50));
        assertThat(third.permit).isNotNull();
        assertThat(third.atMillis).isEqualTo(slotMillis - 50);
        Departure departure = limiter.departure(third.permit);
        assertThat(departure.holdNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(departure.fresh()).isTrue();
        advance(Duration.ofMillis(49));
        assertThat(departure.holdNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
        advance(Duration.ofMillis(1));

        assertThat(departure.holdNanos()).isZero();
        assertThat(departure.fresh()).isTrue();
        assertThat(meters.find("payegress.budget.wasted.grants").counters()).isEmpty();
    }

    @Test
    void aGrantWhoseRequestLeftDuringItsDelayGoesToTheTenantsNextWaiter() {
        BudgetSettings settings = settings(1, Duration.ofSeconds(2));
        BudgetLimiter limiter = limiter(settings, local(settings));
        acquire(limiter, NOISY, null);
        advance(Duration.ofMillis(1000));
        Result leaving = new Result();
        Disposable request = limiter.acquire("coupons-use", NOISY, null).subscribe(p -> leaving.permit = p);
        Result next = acquire(limiter, NOISY, null);

        advance(Duration.ofMillis(10));
        request.dispose();
        advance(Duration.ofMillis(20));

        assertThat(leaving.permit).isNull();
        assertThat(next.permit).isNotNull();
        assertThat(next.permit.outcome()).isEqualTo(Outcome.WAITED);
        assertThat(next.atMillis).isEqualTo(settings.windowMicros() / 1000);
        assertThat(meters.find("payegress.budget.wasted.grants").counters()).isEmpty();
    }

    @Test
    void aGrantAnsweredLaterThanHalfTheSafetyMarginIsCountedAsLateWaste() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        LocalBudgetStore store = local(settings);
        BudgetStore slow = new Switchable(store) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return Mono.delay(Duration.ofMillis(15), time).then(store.allocate(request));
            }
        };
        BudgetLimiter limiter = limiter(settings, slow);

        Result result = acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(20));

        assertThat(result.permit).isNull();
        assertThat(meters.get("payegress.budget.wasted.grants")
                        .tags("reason", "late")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    /** A store whose calls reach it {@code before} after being sent, and whose answers take {@code after} back. */
    private BudgetStore delayed(BudgetStore store, Duration[] before, Duration[] after) {
        return new Switchable(store) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return Mono.delay(before[0], time).then(store.allocate(request)).delayElement(after[0], time);
            }
        };
    }

    @Test
    void onceAFastCallHasPinnedTheStoreClockACallDelayedOnItsWayThereStillUsesItsGrant() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        Duration[] before = {Duration.ZERO};
        BudgetLimiter limiter = limiter(settings, delayed(local(settings), before, new Duration[] {Duration.ZERO}));
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(5));
        before[0] = Duration.ofMillis(15);

        Result second = acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(20));

        assertThat(first.permit).isNotNull();
        assertThat(second.permit).isNotNull();
        assertThat(second.atMillis).isEqualTo(20);
        long slot = Duration.ofMillis(20).toNanos();
        long drift = (long) (slot * StoreClock.DRIFT) + 1;
        assertThat(second.permit.slotNanos()).isBetween(slot - drift, slot);
        assertThat(meters.find("payegress.budget.wasted.grants").counters()).isEmpty();
    }

    @Test
    void aGrantWhoseAnswerIsDelayedOnItsWayBackIsLateWhateverTheStoreClock() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        Duration[] after = {Duration.ZERO};
        BudgetLimiter limiter = limiter(settings, delayed(local(settings), new Duration[] {Duration.ZERO}, after));
        acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(5));
        after[0] = Duration.ofMillis(15);

        Result second = acquire(limiter, QUIET, null);
        advance(Duration.ofMillis(20));

        assertThat(second.permit).isNull();
        assertThat(meters.get("payegress.budget.wasted.grants")
                        .tags("reason", "late")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void rejectsAtOnceWhenTheRequestDeadlineHasPassed() {
        BudgetSettings settings = settings(5, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));

        Result result = acquire(limiter, QUIET, clock.instant().minusMillis(1));
        advance(Duration.ZERO);

        assertThat(result.failure).isInstanceOf(GatewayRejection.class);
        assertThat(result.atMillis).isZero();
    }

    @Test
    void aQuietTenantIsNotQueuedBehindANoisyOne() {
        BudgetSettings settings = settings(10, Duration.ofSeconds(5));
        BudgetLimiter limiter = limiter(settings, local(settings));
        List<Result> noisy = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            noisy.add(acquire(limiter, NOISY, null));
        }
        advance(Duration.ofMillis(100));

        Result quiet = acquire(limiter, QUIET, null);
        advance(Duration.ofSeconds(3));

        long window = settings.windowMicros() / 1000;
        assertThat(quiet.permit).isNotNull();
        assertThat(quiet.atMillis).isEqualTo(window);
        assertThat(noisy.stream().filter(r -> r.permit != null && r.atMillis == window))
                .hasSize(9);
    }

    @Test
    void aClosedLimiterTellsTheStoreItLeavesSoThatItsShareIsNotHeldForIt() {
        BudgetSettings settings = settings(30, Duration.ofSeconds(5));
        LocalBudgetStore store = local(settings);
        BudgetLimiter limiter = limiter(settings, store);
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        Allocation before =
                store.allocate(new Request("r2", List.of(), Fence.NONE)).block();

        limiter.close();
        Allocation after =
                store.allocate(new Request("r2", List.of(), Fence.NONE)).block();

        assertThat(before).isNotNull();
        assertThat(before.members()).isEqualTo(2);
        assertThat(after).isNotNull();
        assertThat(after.members()).isEqualTo(1);
        assertThat(after.liveReplicas()).isEqualTo(1);
    }

    @Test
    void aLeaveWaitsForTheCallInFlightSoThatTheStoreDoesNotMakeTheReplicaAMemberAgainAfterIt() {
        BudgetSettings settings = settings(30, Duration.ofSeconds(5));
        Sinks.Empty<Void> landed = Sinks.empty();
        List<Fence> reached = new CopyOnWriteArrayList<>();
        BudgetStore store = new Switchable(local(settings)) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                Mono<Void> before = request.fence() == Fence.LEAVING ? Mono.empty() : landed.asMono();
                return before.then(Mono.defer(() -> {
                    reached.add(request.fence());
                    return super.allocate(request);
                }));
            }
        };
        BudgetLimiter limiter = limiter(settings, store);
        acquire(limiter, QUIET, null);

        limiter.leave().subscribe();
        List<Fence> beforeTheCallLanded = List.copyOf(reached);
        landed.tryEmitEmpty();

        assertThat(beforeTheCallLanded).isEmpty();
        assertThat(reached).hasSize(2).last().isEqualTo(Fence.LEAVING);
        Allocation other = ((Switchable) store)
                .store
                .allocate(new Request("r2", List.of(), Fence.NONE))
                .block();
        assertThat(other).isNotNull();
        assertThat(other.members()).isEqualTo(1);
    }

    @Test
    void fallsBackToItsShareWhenTheStoreFailsAndReturnsWhenItIsBack() {
        BudgetSettings settings = settings(30, Duration.ofSeconds(5));
        Switchable shared = new Switchable(local(settings));
        shared.store.allocate(new Request("r2", List.of(), Fence.NONE)).block();
        shared.store.allocate(new Request("r3", List.of(), Fence.NONE)).block();
        BudgetLimiter limiter = limiter(settings, shared);
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(limiter.health().liveReplicas()).isEqualTo(3);

        shared.down = true;
        List<Result> results = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            results.add(acquire(limiter, NOISY, null));
        }
        advance(RedisLoss.pause(settings).plusMillis(10));

        assertThat(limiter.health().mode()).isEqualTo(Mode.DEGRADED);
        assertThat(limiter.health().effectiveLimit()).isEqualTo(10);
        assertThat(results.stream().filter(r -> r.permit != null))
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.permit.outcome()).isEqualTo(Outcome.DEGRADED));
        shared.down = false;
        advance(settings.heartbeat());
        assertThat(limiter.health().mode()).isEqualTo(Mode.SHARED);
        assertThat(limiter.health().degradations()).isEqualTo(1);
        Allocation other = shared.store
                .allocate(new Request("r2", List.of(new Demand("b", 100, 1, -1)), Fence.NONE))
                .block();
        assertThat(other).isNotNull();
        assertThat(other.grants())
                .as("the 10 local grants were carried into the shared window, so nothing is left")
                .isEmpty();
    }

    @Test
    void oneFailedCallDoesNotDegradeTheBudget() {
        BudgetSettings settings = settings(30, Duration.ofSeconds(5));
        int[] failures = {1};
        BudgetStore store = local(settings);
        BudgetStore flaky = new Switchable(store) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return failures[0]-- > 0
                        ? Mono.error(new IllegalStateException("command timed out"))
                        : store.allocate(request);
            }
        };
        BudgetLimiter limiter = limiter(settings, flaky);

        Result result = acquire(limiter, QUIET, null);
        advance(settings.dispatchInterval());

        assertThat(result.permit).isNotNull();
        assertThat(limiter.health().mode()).isEqualTo(Mode.SHARED);
        assertThat(limiter.health().degradations()).isZero();
    }

    @Test
    void theDeparturesOfAFailedCallGoAgainWithTheNextAheadOfThoseReportedSince() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        RecordingStore recording = new RecordingStore(local(settings));
        boolean[] failNext = {false};
        BudgetStore flaky = new Switchable(recording) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                if (failNext[0]) {
                    failNext[0] = false;
                    recording.requests.add(request);
                    return Mono.error(new IllegalStateException("command timed out"));
                }
                return recording.allocate(request);
            }
        };
        BudgetLimiter limiter = limiter(settings, flaky);
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        Departure departure = limiter.departure(first.permit);
        departure.leaving();
        departure.written();
        advance(Duration.ofMillis(300));
        departure.answered(0);

        failNext[0] = true;
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        int failed = recording.requests.size() - 1;
        List<Departed> lost = recording.requests.get(failed).departures();
        assertThat(lost)
                .as("the failed call carried the late answer")
                .anySatisfy(answer -> assertThat(answer.count()).isEqualTo(Count.EXACTLY));
        advance(settings.dispatchInterval());

        assertThat(recording.requests.get(failed + 1).departures())
                .as("the call after it carries them again, in order: the late answer must not be lost")
                .containsExactlyElementsOf(lost);
        assertThat(limiter.health().mode()).isEqualTo(Mode.SHARED);
    }

    @Test
    void callsFailingOverALiveConnectionDegradeOnlyOnceTheFailureIsSustained() {
        BudgetSettings settings = settings(30, Duration.ofSeconds(5));
        BudgetStore slow = new Switchable(local(settings)) {
            @Override
            public Mono<Allocation> allocate(Request request) {
                return Mono.error(new IllegalStateException("command timed out"));
            }
        };
        BudgetLimiter limiter = limiter(settings, slow);

        Result waiting = acquire(limiter, QUIET, null);
        advance(RedisLoss.SUSTAINED_FAILURE.minusMillis(50));
        assertThat(limiter.health().mode())
                .as("a slow Redis over a live connection: the request waits, the budget stays shared")
                .isEqualTo(Mode.SHARED);
        assertThat(waiting.permit).isNull();
        assertThat(waiting.failure).isNull();

        advance(Duration.ofMillis(100));
        assertThat(limiter.health().mode()).isEqualTo(Mode.DEGRADED);
        assertThat(limiter.health().degradations()).isEqualTo(1);
    }

    @Test
    void aReplicaWhoseRequestsReachTheSocketLateGetsGrantsWithALongerToleranceInsteadOfWastingThem() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        RecordingStore store = new RecordingStore(local(settings));
        BudgetLimiter limiter = limiter(settings, store);
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        Duration late = settings.lateTolerance().plusMillis(200);
        advance(late);
        assertThat(limiter.mayLeave(first.permit))
                .as("the first grant had only the late tolerance")
                .isFalse();
        limiter.unused(first.permit);

        Result second = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(second.permit).isNotNull();
        assertThat(store.requests.get(store.requests.size() - 1).reachMicros())
                .as("the next call pays in the limit for the lateness it saw: a longer reach than the window")
                .isGreaterThan(settings.windowMicros()
                        + late.toNanos() / 1_000
                        - settings.lateTolerance().toNanos() / 1_000);
        advance(late);
        assertThat(limiter.mayLeave(second.permit))
                .as("and a grant that reaches its socket as late is used, not thrown away")
                .isTrue();
    }

    @Test
    void aRequestThatLeavesHasItsDepartureReportedWithTheNextCallAndIsNeverGivenBack() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        RecordingStore store = new RecordingStore(local(settings));
        BudgetLimiter limiter = limiter(settings, store);
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        assertThat(limiter.mayLeave(first.permit)).isTrue();
        limiter.leaving(first.permit);
        limiter.unused(first.permit);
        limiter.written(first.permit);

        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);

        List<Request> after = store.requests.subList(1, store.requests.size());
        assertThat(after).flatMap(Request::departures).hasSize(1);
        assertThat(after)
                .flatMap(Request::refunds)
                .as("a grant a request left on is never given back")
                .isEmpty();
        assertThat(after.stream()
                        .flatMap(r -> r.departures().stream())
                        .findFirst()
                        .orElseThrow()
                        .untilMicros())
                .as("it counts from its departure for the window less the late tolerance, at most")
                .isLessThanOrEqualTo(first.atMillis * 1_000 + settings.windowMicros() + 1_000);
    }

    /**
     * Two requests granted at once, at a limit of 50, on a store that records what it is told, with their departures
     * (not left yet: {@link #twoLeftAtOnce}).
     */
    private record TwoLeft(
            RecordingStore store, BudgetLimiter limiter, Result first, Result second, Departure one, Departure two) {}

    private TwoLeft twoGrantedAtOnce() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        RecordingStore store = new RecordingStore(local(settings));
        BudgetLimiter limiter = limiter(settings, store);
        Result first = acquire(limiter, QUIET, null);
        Result second = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        assertThat(second.permit).isNotNull();
        return new TwoLeft(
                store, limiter, first, second, limiter.departure(first.permit), limiter.departure(second.permit));
    }

    /** As {@link #twoGrantedAtOnce}, each request told it leaves and written at once. */
    private TwoLeft twoLeftAtOnce() {
        TwoLeft granted = twoGrantedAtOnce();
        granted.one().leaving();
        granted.one().written();
        granted.two().leaving();
        granted.two().written();
        return granted;
    }

    /** What the store of {@code left} was told after its first call, once the limiter has called it again. */
    private List<Departed> reportedOnTheNextCall(TwoLeft left) {
        acquire(left.limiter(), QUIET, null);
        advance(Duration.ZERO);
        return reportedAfterFirstCall(left.store());
    }

    /** What the store was told of departures, answers and failures after its first call, in order. */
    private static List<Departed> reportedAfterFirstCall(RecordingStore store) {
        return store.requests.subList(1, store.requests.size()).stream()
                .flatMap(r -> r.departures().stream())
                .toList();
    }

    @Test
    void aRequestAnsweredHasItsGrantCountedUntilTheAnswerPlusASecondOnce() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        RecordingStore store = new RecordingStore(local(settings));
        BudgetLimiter limiter = limiter(settings, store);
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        Departure departure = limiter.departure(first.permit);
        assertThat(departure.fresh()).isTrue();
        departure.leaving();
        departure.written();
        advance(Duration.ofMillis(7));
        departure.answered(0);
        departure.answered(0);

        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);

        List<Departed> reported = reportedAfterFirstCall(store);
        assertThat(reported).as("the departure, then the answer, once").hasSize(2);
        Departed answered = reported.get(1);
        assertThat(answered.untilMicros())
                .as("counted from the answer, 7 ms after the departure, for one second and no margin")
                .isBetween(first.atMillis * 1_000 + 1_007_000, first.atMillis * 1_000 + 1_007_000 + 2_000)
                .isLessThan(reported.get(0).untilMicros());
        assertThat(meters.get("payegress.budget.slot.to.departure").timer().count())
                .isOne();
        assertThat(meters.get("payegress.budget.slot.to.answer").timer().totalTime(TimeUnit.MILLISECONDS))
                .as("the answer 7 ms after the slot, counted once")
                .isEqualTo(7.0);
        assertThat(answered.count())
                .as("an answer in its usual time only shortens")
                .isEqualTo(Count.AT_MOST);
        departure.failed();
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(reportedAfterFirstCall(store))
                .as("a failure after the answer reports nothing")
                .hasSize(2);
    }

    @Test
    void aRequestCountsFromWhenItWasWrittenNotFromTheLastLookBeforeIt() {
        BudgetSettings settings = settings(50, Duration.ofSeconds(1));
        TwoLeft granted = twoGrantedAtOnce();
        RecordingStore store = granted.store();
        BudgetLimiter limiter = granted.limiter();
        Result soon = granted.first();
        Departure writtenSoon = granted.one();
        Departure writtenLate = granted.two();
        assertThat(writtenSoon.fresh()).isTrue();
        assertThat(writtenLate.fresh()).isTrue();
        writtenSoon.leaving();
        writtenLate.leaving();
        BudgetPermit stalled = granted.second().permit;
        assertThat(stalled).isNotNull();
        limiter.unused(stalled);

        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(reportedAfterFirstCall(store))
                .as("told it leaves, not yet written: nothing reported, and never given back")
                .isEmpty();
        assertThat(store.requests).flatMap(Request::refunds).isEmpty();

        advance(Duration.ofMillis(10));
        writtenSoon.written();
        advance(settings.lateTolerance());
        writtenLate.written();
        writtenLate.written();
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);

        long lookedAtMicros = soon.atMillis * 1_000;
        List<Departed> reported = reportedAfterFirstCall(store);
        assertThat(reported).as("each written once").hasSize(2);
        assertThat(reported.get(0))
                .as("written 10 ms after the last look, within its tolerance: from the write, at most")
                .satisfies(departed -> assertThat(departed.count()).isEqualTo(Count.AT_MOST))
                .satisfies(departed -> assertThat(departed.untilMicros())
                        .isGreaterThanOrEqualTo(lookedAtMicros
                                + 10_000
                                + settings.windowMicros()
                                - settings.lateTolerance().toNanos() / 1_000));
        long writtenLateMicros =
                lookedAtMicros + 10_000 + settings.lateTolerance().toNanos() / 1_000;
        assertThat(reported.get(1))
                .as("written later than its tolerance after its slot (a stall before the write): exactly from the"
                        + " write, though that is longer than its reach")
                .satisfies(departed -> assertThat(departed.count()).isEqualTo(Count.EXACTLY))
                .satisfies(departed -> assertThat(departed.untilMicros())
                        .isGreaterThanOrEqualTo(writtenLateMicros
                                + settings.windowMicros()
                                - settings.lateTolerance().toNanos() / 1_000));
    }

    @Test
    void aRequestAnsweredLaterThanTheMarginAllowsOrNotAnsweredCountsFromThatMoment() {
        TwoLeft left = twoLeftAtOnce();
        Departure late = left.one();
        Departure lost = left.two();
        advance(Duration.ofMillis(300));
        late.answered(0);
        lost.failed();
        lost.answered(0);

        List<Departed> reported = reportedOnTheNextCall(left);
        assertThat(reported).as("two departures, an answer and a failure").hasSize(4);
        long departedUntil = reported.get(0).untilMicros();
        assertThat(reported.get(2))
                .as("the answer, 300 ms after the departure: later than the margin allowed for")
                .satisfies(answer -> assertThat(answer.count()).isEqualTo(Count.EXACTLY))
                .satisfies(answer -> assertThat(answer.untilMicros()).isGreaterThan(departedUntil + 200_000));
        assertThat(reported.get(3))
                .as("no answer: at least from the failure")
                .satisfies(failure -> assertThat(failure.count()).isEqualTo(Count.AT_LEAST))
                .satisfies(failure -> assertThat(failure.untilMicros()).isGreaterThan(departedUntil + 200_000));
        assertThat(meters.get("payegress.budget.slot.to.failure").timer().count())
                .isOne();
    }

    @Test
    void anAnswerReadLateCountsFromWhenItReachedTheHostNeverFromBeforeItsRequestLeft() {
        TwoLeft left = twoLeftAtOnce();
        Departure readLate = left.one();
        Departure impossible = left.two();
        long leftAtMicros = left.first().atMillis * 1_000;
        advance(Duration.ofMillis(300));
        readLate.answered(Duration.ofMillis(293).toNanos());
        impossible.answered(Duration.ofMillis(400).toNanos());

        List<Departed> reported = reportedOnTheNextCall(left);
        assertThat(reported).as("two departures, two answers").hasSize(4);
        assertThat(reported.get(2))
                .as("read 300 ms after the departure, received 7 ms after it: in its usual time, counted from there")
                .satisfies(answer -> assertThat(answer.count()).isEqualTo(Count.AT_MOST))
                .satisfies(answer -> assertThat(answer.untilMicros())
                        .isBetween(leftAtMicros + 1_007_000, leftAtMicros + 1_007_000 + 2_000));
        assertThat(reported.get(3).untilMicros())
                .as("an age reaching before the departure counts from the departure")
                .isBetween(leftAtMicros + 1_000_000, leftAtMicros + 1_000_000 + 2_000);
        assertThat(meters.find("payegress.budget.late.answers").counter())
                .as("neither answer was late")
                .isNull();
    }

    @Test
    void aDepartureStaleAtTheSocketIsRenewedWithItsGrantGivenBackAndANewOneFromTheHeadOfTheQueue() {
        BudgetSettings settings = settings(1, Duration.ofSeconds(1));
        BudgetLimiter limiter = limiter(settings, local(settings));
        Result first = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(first.permit).isNotNull();
        Departure departure = limiter.departure(
                first.permit, "coupons-use", QUIET, clock.instant().plusSeconds(5));
        Result behind = acquire(limiter, QUIET, null);
        advance(settings.lateTolerance().plusMillis(1));
        assertThat(departure.fresh()).isFalse();

        List<Departure> renewed = new ArrayList<>();
        departure.renewed().subscribe(renewed::add);
        advance(Duration.ZERO);

        assertThat(renewed)
                .as("the stale grant was given back (the limit is 1), and the renewal was served first")
                .hasSize(1);
        assertThat(renewed.get(0).fresh()).isTrue();
        assertThat(behind.permit).as("the request queued behind it still waits").isNull();
    }

    /** Remembers every request made to the store it wraps. */
    private static final class RecordingStore implements BudgetStore {

        private final BudgetStore store;
        private final List<Request> requests = new CopyOnWriteArrayList<>();

        RecordingStore(BudgetStore store) {
            this.store = store;
        }

        @Override
        public Mono<Allocation> allocate(Request request) {
            requests.add(request);
            return store.allocate(request);
        }

        @Override
        public Mono<Double> throttled() {
            return store.throttled();
        }
    }

    @Test
    void aGrantTheRequestCouldNotUseIsGivenBackAndStopsCounting() {
        BudgetSettings settings = settings(3, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));
        Result late = acquire(limiter, QUIET, null);
        advance(Duration.ZERO);
        assertThat(late.permit).isNotNull();
        advance(settings.lateTolerance().plusMillis(1));
        assertThat(limiter.mayLeave(late.permit)).isFalse();
        assertThat(limiter.mayLeave(late.permit)).isFalse();
        limiter.unused(late.permit);
        limiter.unused(late.permit);

        List<Result> next = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            next.add(acquire(limiter, QUIET, null));
        }
        advance(Duration.ZERO);

        assertThat(next)
                .as("the late grant was given back: all 3 of the limit are free for these at once")
                .allSatisfy(r -> assertThat(r.permit).isNotNull());
        assertThat(meters.get("payegress.budget.refunded.grants").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void upstreamThrottlingShrinksTheSharedLimit() {
        BudgetSettings settings = settings(40, Duration.ofMillis(250));
        BudgetLimiter limiter = limiter(settings, local(settings));

        limiter.throttled();
        acquire(limiter, QUIET, null);
        advance(Duration.ZERO);

        assertThat(limiter.health().effectiveLimit()).isEqualTo(20);
    }
}
