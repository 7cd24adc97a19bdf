package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One replica's side of one budget: requests wait in a {@link FairQueue} without holding a thread, and a single
 * dispatcher asks the store for grants for all of them in one call, again when the answer says a slot frees. When
 * Redis fails it switches to a local store holding this replica's share, and probes Redis to switch back.
 *
 * <p>This is the budget's public face and the permit's rule at the socket; the parts share one {@link DispatchState},
 * guarded by its monitor: the {@link WaitingRoom} (waiting and refusals), the {@link StoreDispatcher} with its
 * {@link AllocationCalls} and {@link Heartbeat} (the conversation with the store), the {@link GrantHandout}
 * (grants to waiters, and back to the store), and {@link UsedGrants} (how each used grant counts, from its departure,
 * WeChat's answer or its failure).
 */
public final class BudgetLimiter implements AutoCloseable {

    /** How long closing waits for the store to hear that this replica leaves (a store call's own timeout is less). */
    static final Duration LEAVING_LANDS = Duration.ofSeconds(1);

    private final BudgetSettings settings;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final DispatchState state = new DispatchState();
    private final UsedGrants used;
    private final WaitingRoom waiting;
    private final GrantHandout handout;
    private final StoreDispatcher dispatcher;
    private final Disposable heartbeat;

    /**
     * A limiter asking {@code shared} for grants as {@code replica}; timers and releases run on {@code scheduler}.
     *
     * @param nanoTime a monotonic clock ({@code System::nanoTime}); only durations are taken from it
     * @param clock the wall clock the request deadlines refer to
     */
    public BudgetLimiter(
            BudgetSettings settings,
            BudgetStore shared,
            String replica,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            Clock clock,
            Scheduler scheduler) {
        this.settings = settings;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.clock = clock;
        Tolerance tolerance = new Tolerance(settings);
        this.used = new UsedGrants(settings.name(), metrics, nanoTime, state, tolerance);
        RedisLoss redisLoss = new RedisLoss(settings, state, nanoTime);
        this.waiting = new WaitingRoom(settings, metrics, nanoTime, scheduler, state);
        this.handout =
                new GrantHandout(settings, metrics, nanoTime, scheduler, state, tolerance, waiting, this::dispatch);
        AllocationCalls calls =
                new AllocationCalls(settings, replica, metrics, nanoTime, state, tolerance, redisLoss, handout);
        this.dispatcher = new StoreDispatcher(settings, shared, metrics, nanoTime, scheduler, state, calls, redisLoss);
        this.state.limit = settings.limit();
        long period = settings.heartbeat().toNanos();
        Heartbeat beat = new Heartbeat(settings, shared, replica, metrics, nanoTime, state, redisLoss, dispatcher);
        this.heartbeat = scheduler.schedulePeriodically(beat::beat, period, period, TimeUnit.NANOSECONDS);
        metrics.gauges(this);
    }

    /**
     * For {@code sinceArrivalNanos}: the request already counts towards what its tenant offers, counted by the
     * admission stage it came through (which, at overload, sees every request, the budget stage only those admitted
     * and signed).
     */
    public static final long COUNTED_AT_ADMISSION = -1;

    /**
     * Waits for a token for the tenant, never past the deadline. After max-wait it fails with 429 if the store has said
     * the limit had no room for the tenant meanwhile (or there is no deadline at all); a request that waited only on
     * this replica's own slowness (calls slow or in flight while the limit had room) keeps waiting until its deadline
     * instead and then fails with a retryable 503: a slow machine gives slower answers, not 429s.
     */
    public Mono<BudgetPermit> acquire(String route, Tenant tenant, @Nullable Instant deadline) {
        return acquire(route, tenant, deadline, false);
    }

    /**
     * As {@link #acquire(String, Tenant, Instant)}; {@code again} for a request whose earlier grant it could not use
     * (given back), which waits at the head of its tenant's queue: it has waited its turn once already.
     */
    public Mono<BudgetPermit> acquire(String route, Tenant tenant, @Nullable Instant deadline, boolean again) {
        return acquire(route, tenant, deadline, again, 0);
    }

    /**
     * As {@link #acquire(String, Tenant, Instant, boolean)}, for a request that reached this host
     * {@code sinceArrivalNanos} ago: a first ask counts towards what its tenant offers from then, not from now; not at
     * all with {@link #COUNTED_AT_ADMISSION}.
     */
    public Mono<BudgetPermit> acquire(
            String route, Tenant tenant, @Nullable Instant deadline, boolean again, long sinceArrivalNanos) {
        return Mono.create(sink -> {
            Duration wait = settings.maxWait();
            if (deadline != null && left(deadline).compareTo(wait) < 0) {
                wait = left(deadline);
            }
            long now = nanoTime.getAsLong();
            Waiter waiter = new Waiter(
                    sink,
                    route,
                    tenant,
                    now,
                    deadline == null ? Long.MAX_VALUE : now + left(deadline).toNanos());
            long arrived = sinceArrivalNanos == COUNTED_AT_ADMISSION
                    ? WaitingRoom.COUNTED
                    : now - Math.max(0, sinceArrivalNanos);
            if (waiting.enter(waiter, deadline, wait, again, arrived)) {
                dispatch();
            }
        });
    }

    private Duration left(Instant deadline) {
        return Duration.between(clock.instant(), deadline);
    }

    /** How long a request may keep asking for grants: its deadline, or max-wait from now without one. */
    public Instant waitLimit(@Nullable Instant deadline) {
        return deadline != null ? deadline : clock.instant().plus(settings.maxWait());
    }

    /**
     * False when a request of this tenant should be refused at once: the store said the tenant offers more requests
     * per second than its share of the limit (the limit has no room for all of them), and the tenant's requests ahead
     * of it here (queued, or admitted through {@link #admit} and still on their way to the queue) are already as many
     * as the budget can be expected to grant it while they make their way to the queue (as long as admitted requests
     * took lately, at most half of max-wait) and then within half of max-wait (its grants here over the last second,
     * or at least an equal share of this replica's part of the limit over the tenants with requests ahead here; never
     * fewer than one). Such a request would likely wait max-wait only to be refused, having been signed for nothing.
     */
    public boolean admissible(Tenant tenant) {
        return waiting.admissible(tenant);
    }

    /**
     * Admits a request of this tenant if it is {@link #admissible}, counting it as ahead of later ones until its
     * ticket closes (its first grant or refusal, or the end of the request); null when it should be refused at once.
     */
    public @Nullable AdmissionTicket admit(Tenant tenant) {
        return admit(tenant, 0);
    }

    /**
     * As {@link #admit(Tenant)}, for a request that reached this host {@code sinceArrivalNanos} ago; admitted or not,
     * the request counts towards what its tenant offers (its budget stage then asks with
     * {@link #COUNTED_AT_ADMISSION}).
     */
    public @Nullable AdmissionTicket admit(Tenant tenant, long sinceArrivalNanos) {
        return waiting.admit(tenant, nanoTime.getAsLong() - Math.max(0, sinceArrivalNanos));
    }

    /**
     * Whether {@link #admissible} can refuse any tenant's request now (some tenant over its share); false admits every
     * request, so a caller may skip finding the tenant.
     */
    public boolean mayShed() {
        return waiting.mayShed();
    }

    /**
     * Whether a request of this tenant, refused by {@link #admissible}, is refused where it arrives, before any stage
     * of its route runs (the door, {@code io.payegress.filters.door}). A refused request counts towards what its
     * tenant offers, from {@code sinceArrivalNanos} (asked only then), and as shed; one that is not refused counts
     * nothing here: its route's admission stage admits and counts it.
     */
    public boolean refusesAtDoor(String route, Tenant tenant, LongSupplier sinceArrivalNanos) {
        if (!waiting.refusesAtDoor(tenant, sinceArrivalNanos)) {
            return false;
        }
        shed(route, tenant);
        return true;
    }

    /** Counts a request refused by {@link #admissible}. */
    public void shed(String route, Tenant tenant) {
        metrics.count(route, tenant.id().value(), Outcome.SHED);
    }

    /** Reports an upstream 429: shrinks the shared (or, when degraded, the local) effective limit. */
    public void throttled() {
        dispatcher.throttled();
    }

    /** The budget's mode and figures, for health details and gauges. */
    public BudgetHealth health() {
        synchronized (state) {
            int limit = state.mode == Mode.SHARED ? state.limit : state.localLimit;
            return new BudgetHealth(
                    settings.name(), state.mode, limit, state.live, state.queue.size(), state.degradations);
        }
    }

    /**
     * Stops the heartbeat and the dispatcher (a call already made still lands), then tells the shared store this
     * replica leaves, waiting at most {@link #LEAVING_LANDS} for it, so that the store does not hold this replica's
     * share out of the limit as it would for one that may be degraded; requests still waiting are refused with the
     * retryable 429. The gateway closes its limiters after its web server has stopped, while Redis is still open, so
     * that no request in flight is refused and no timer calls a closed client.
     */
    @Override
    public void close() {
        heartbeat.dispose();
        List<Waiter> waiters;
        synchronized (state) {
            state.closed = true;
            if (state.nextCall != null) {
                state.nextCall.dispose();
                state.nextCall = null;
            }
            waiters = state.queue.all();
        }
        waiters.forEach(w -> waiting.giveUp(w, true));
        leave().timeout(LEAVING_LANDS).onErrorResume(e -> Mono.empty()).block();
    }

    /**
     * Tells the shared store this replica leaves, once the call in flight, if any, has landed (see {@link #close}); empty
     * when degraded.
     */
    Mono<Void> leave() {
        return dispatcher.leave();
    }

    /** Asks the dispatcher for a call (not forced): it makes one unless one is in flight or there is nothing to say. */
    private void dispatch() {
        dispatcher.dispatch(false);
    }

    /**
     * Whether a request holding this permit may leave now, not later than its grant's tolerance after its slot; a
     * stale grant is counted as wasted ({@link UsedGrants#mayLeave}).
     */
    public boolean mayLeave(BudgetPermit permit) {
        return used.mayLeave(permit);
    }

    /** The request holding this permit is about to be written now: its grant is used ({@link UsedGrants#leaving}). */
    public void leaving(BudgetPermit permit) {
        used.leaving(permit);
    }

    /** The request holding this permit was written to the socket by now ({@link UsedGrants#written}). */
    public void written(BudgetPermit permit) {
        used.written(permit);
    }

    /** WeChat's answer to the request holding this permit reached this host {@code ageNanos} ago ({@link UsedGrants#answered}). */
    public void answered(BudgetPermit permit, long ageNanos) {
        used.answered(permit, ageNanos);
    }

    /** The request holding this permit left and ended without an answer ({@link UsedGrants#failed}). */
    public void failed(BudgetPermit permit) {
        used.failed(permit);
    }

    /**
     * Gives the permit's grant back: the request did not leave on it (the forward stage refused to write). Once per
     * grant, whoever calls first.
     */
    public void unused(BudgetPermit permit) {
        handout.giveBack(permit.slot());
        dispatch();
    }

    /**
     * The departure rule of a request holding this permit, for the forward stage: handed out the lead before its slot,
     * it holds until the latest local time the slot can be, then leaves if it still {@link #mayLeave may}. Not
     * renewable at the socket (see {@link #departure(BudgetPermit, String, Tenant, Instant)}).
     */
    public Departure departure(BudgetPermit permit) {
        return new PermitDeparture(this, permit, nanoTime, null);
    }

    /**
     * As {@link #departure(BudgetPermit)}, and renewable at the socket: a stale grant is given back and the request
     * asks again for {@code tenant} on {@code route}, at the head of its queue, until {@code until}.
     */
    public Departure departure(BudgetPermit permit, String route, Tenant tenant, Instant until) {
        return new PermitDeparture(this, permit, nanoTime, new PermitDeparture.Renewal(route, tenant, until));
    }

    /**
     * Gives the stale permit's grant back and asks for a new one at the head of the tenant's queue: the refund goes
     * with the call that asks (the grant freed can be the one the request gets).
     */
    Mono<BudgetPermit> renew(BudgetPermit stale, String route, Tenant tenant, Instant until) {
        handout.giveBack(stale.slot());
        return acquire(route, tenant, until, true);
    }

    /** The admission's refusal: 429 RATE_LIMITED with Retry-After, the limit has no room for what its tenant offers. */
    public static GatewayRejection shedAtAdmission() {
        return rateLimited("The shared upstream budget is saturated; retry later");
    }

    static GatewayRejection rateLimited(String detail) {
        return WaitingRoom.rateLimited(detail);
    }
}
