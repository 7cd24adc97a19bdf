package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.budget.BudgetMetrics.Waste;
import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Departed;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Grant;
import io.payegress.filters.budget.BudgetStore.Refund;
import io.payegress.filters.budget.BudgetStore.Request;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One replica's side of one budget: requests wait in a {@link FairQueue} without holding a thread, and a single
 * dispatcher asks the store for grants for all of them in one call, again when the answer says a slot frees. When
 * Redis fails it switches to a local store holding this replica's share, and probes Redis to switch back.
 */
public final class BudgetLimiter implements AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration SATURATION_PROOF = Duration.ofSeconds(1);

    private final BudgetSettings settings;
    private final BudgetStore shared;
    private final String replica;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DispatchState state = new DispatchState();
    private final Tolerance tolerance;
    private final Lead lead;
    private final RedisLoss redisLoss;
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
        this.shared = shared;
        this.replica = replica;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.scheduler = scheduler;
        this.tolerance = new Tolerance(settings);
        this.lead = new Lead(settings);
        this.redisLoss = new RedisLoss(settings, state, nanoTime);
        this.state.limit = settings.limit();
        long period = settings.heartbeat().toNanos();
        this.heartbeat = scheduler.schedulePeriodically(this::heartbeat, period, period, TimeUnit.NANOSECONDS);
        metrics.gauges(this);
    }

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
            if (wait.isNegative() || wait.isZero()) {
                busy(waiter); // its deadline passed before it could ask: not the limit's doing
                return;
            }
            sink.onCancel(() -> giveUp(waiter, false));
            waiter.timeout = scheduler.schedule(() -> expire(waiter, deadline), wait.toNanos(), TimeUnit.NANOSECONDS);
            boolean idle;
            synchronized (state) {
                if (again) {
                    state.queue.putBack(tenant, waiter);
                } else {
                    state.queue.add(tenant, waiter);
                }
                idle = !state.inFlight && state.nextCall == null;
                state.arrivedDuringCall |= state.inFlight;
            }
            if (idle || again) {
                dispatch(false);
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
     * False when a request of this tenant should be refused at once: the budget has been saturated for a second and
     * the tenant's queue here already holds as many requests as the budget can be expected to grant it within
     * max-wait (its grants here over the last second, or at least an equal share of this replica's part of the
     * limit). Such a request would wait max-wait only to be refused, having been signed for nothing.
     */
    public boolean admissible(Tenant tenant) {
        synchronized (state) {
            long now = nanoTime.getAsLong();
            if (state.saturatedSinceNanos < 0 || now - state.saturatedSinceNanos < SATURATION_PROOF.toNanos()) {
                return true;
            }
            String id = tenant.id().value();
            double share = (double) state.limit / Math.max(1, state.live) / Math.max(1, state.queue.tenants());
            double perSecond = Math.max(state.grants.perSecond(id, now), share);
            double expected = perSecond * settings.maxWait().toNanos() / 1e9;
            return state.queue.size(id) < expected + 1;
        }
    }

    /** Counts a request refused by {@link #admissible}. */
    public void shed(String route, Tenant tenant) {
        metrics.count(route, tenant.id().value(), Outcome.SHED);
    }

    /** Reports an upstream 429: shrinks the shared (or, when degraded, the local) effective limit. */
    public void throttled() {
        BudgetStore store;
        synchronized (state) {
            store = state.mode == Mode.SHARED ? shared : state.local;
        }
        if (store != null) {
            store.throttled().subscribe(limit -> metrics.roundTrip(settings.name(), storeName(store), true), e -> {
                metrics.roundTrip(settings.name(), storeName(store), false);
            });
        }
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
     * Stops the heartbeat and the dispatcher (a call already made still lands); requests still waiting are refused
     * with the retryable 429. The gateway closes its limiters after its web server has stopped, while Redis is still
     * open, so that no request in flight is refused and no timer calls a closed client.
     */
    @Override
    public void close() {
        heartbeat.dispose();
        List<Waiter> waiting;
        synchronized (state) {
            state.closed = true;
            if (state.nextCall != null) {
                state.nextCall.dispose();
                state.nextCall = null;
            }
            waiting = state.queue.all();
        }
        waiting.forEach(w -> giveUp(w, true));
    }

    private void dispatch(boolean force) {
        BudgetStore store;
        Request request;
        synchronized (state) {
            boolean nothingToSay = state.queue.isEmpty()
                    && !state.reportedBacklog
                    && state.refunds.isEmpty()
                    && state.departures.isEmpty()
                    && !force;
            boolean rejecting = state.mode == Mode.DEGRADED && state.local == null;
            if (state.closed || state.inFlight || nothingToSay || rejecting) {
                return;
            }
            if (state.nextCall != null) {
                state.nextCall.dispose();
                state.nextCall = null;
            }
            state.inFlight = true;
            state.arrivedDuringCall = false;
            store = state.mode == Mode.SHARED ? shared : state.local;
            List<Refund> refunds = takeFor(store, state.refunds, GrantedSlot::store, GrantedSlot::refund);
            List<Departed> departures =
                    takeFor(store, state.departures, PendingDeparture::store, PendingDeparture::departed);
            boolean carrying = state.mode == Mode.SHARED && state.carryPending > 0;
            request = new Request(
                    replica,
                    state.queue.demands(),
                    carrying ? Fence.DEGRADED_RETURN : fence(),
                    carrying ? state.carryPending : 0,
                    refunds,
                    lead.micros(nanoTime.getAsLong()),
                    tolerance.reachMicros(nanoTime.getAsLong()),
                    departures);
            state.lastCallNanos = nanoTime.getAsLong();
        }
        BudgetStore chosen = store;
        long sent = nanoTime.getAsLong();
        chosen.allocate(request).subscribe(a -> onAllocation(chosen, request, a, sent), e -> onFailure(chosen, e));
    }

    /**
     * What is pending for {@code store} (grants given back, departures), taken off the pending list; what belongs to
     * another store (the mode changed since it was granted) is dropped: that store is gone or fenced, and a grant kept
     * counting is only capacity lost, never safety.
     */
    private static <P, T> List<T> takeFor(
            @Nullable BudgetStore store, List<P> pending, Function<P, BudgetStore> storeOf, Function<P, T> message) {
        List<T> taken = new ArrayList<>();
        for (P item : pending) {
            if (storeOf.apply(item) == store) {
                taken.add(message.apply(item));
            }
        }
        pending.clear();
        return taken;
    }

    /**
     * Gives an unused grant back to its store with the next call, so that it stops counting against the limit and its
     * tenant's share. Safe because nothing was written on it: the forward stage's last look refused to write.
     */
    private void giveBack(GrantedSlot slot) {
        if (!slot.settle()) {
            return;
        }
        metrics.refunded(settings.name());
        synchronized (state) {
            state.refunds.add(slot);
        }
    }

    private Fence fence() {
        boolean recent = nanoTime.getAsLong() - state.lastGrantNanos
                < (settings.windowMicros() + settings.horizonMicros()) * 1_000;
        return state.lastGrantNanos != 0 && recent ? Fence.RECENT_GRANTS : Fence.NONE;
    }

    private void onAllocation(BudgetStore store, Request request, Allocation allocation, long sentNanos) {
        long receivedNanos = nanoTime.getAsLong();
        metrics.roundTrip(settings.name(), storeName(store), true);
        metrics.roundTripTime(settings.name(), Duration.ofNanos(receivedNanos - sentNanos));
        boolean again;
        synchronized (state) {
            state.inFlight = false;
            boolean degraded = store != shared;
            long decidedNanos = allocation.clockMicros() * 1_000;
            StoreClock.Offset offset =
                    (degraded ? state.localClock : state.sharedClock).sample(sentNanos, receivedNanos, decidedNanos);
            metrics.clockUncertainty(settings.name(), Duration.ofNanos(offset.uncertaintyNanos()));
            lead.observeWayBack(receivedNanos - offset.earliestLocal(decidedNanos), receivedNanos);
            if (degraded) {
                state.localLimit = allocation.limit();
            } else {
                state.limit = allocation.limit();
                state.live = allocation.liveReplicas();
                redisLoss.sharedCallAnswered();
                state.carryPending = Math.max(0, state.carryPending - request.carried());
            }
            long granted = tolerance.grantedNanos(request);
            for (Grant grant : allocation.grants()) {
                long slot = decidedNanos + grant.delayMicros() * 1_000;
                if (degraded && state.mode == Mode.SHARED) {
                    state.carryPending++;
                } else if (degraded) {
                    state.localGrants.add(offset.latestLocal(slot)
                            + granted
                            - settings.lateTolerance().toNanos());
                }
                Demand demand = request.demands().get(grant.demand());
                GrantedSlot logged = new GrantedSlot(store, grant.id(), granted, offset.high(), receivedNanos);
                release(demand, grant.delayMicros() > 0, slot, offset, degraded, logged);
            }
            boolean starved = allocation.nextSlotMicros() >= 0;
            state.reportedBacklog = starved;
            if (!starved) {
                state.saturatedSinceNanos = -1;
            } else if (state.saturatedSinceNanos < 0) {
                state.saturatedSinceNanos = nanoTime.getAsLong();
            }
            again = (!starved && state.arrivedDuringCall && !state.queue.isEmpty()) || !state.refunds.isEmpty();
            if (starved) {
                state.queue.all().forEach(w -> w.deferred = true);
                long waitMicros = Math.max(
                        settings.dispatchInterval().toNanos() / 1_000,
                        allocation.nextSlotMicros() - settings.horizonMicros());
                state.nextCall = scheduler.schedule(this::scheduledCall, waitMicros, TimeUnit.MICROSECONDS);
            }
        }
        if (again) {
            dispatch(false);
        }
    }

    private void scheduledCall() {
        synchronized (state) {
            state.nextCall = null;
        }
        dispatch(false);
    }

    /**
     * Hands the grant for the store instant {@code slot} to the tenant's oldest waiter the lead before the latest local
     * time the slot can be; the request leaves no earlier than that latest time, and its lateness is measured from the
     * earliest.
     */
    private void release(
            Demand demand, boolean delayed, long slot, StoreClock.Offset offset, boolean degraded, GrantedSlot logged) {
        Waiter waiter = state.queue.poll(demand.tenant());
        while (waiter != null && waiter.isClaimed()) {
            waiter = state.queue.poll(demand.tenant());
        }
        if (waiter == null) {
            metrics.wastedGrant(settings.name(), Waste.NO_WAITER);
            giveBack(logged);
            return;
        }
        long now = nanoTime.getAsLong();
        state.lastGrantNanos = now;
        Outcome outcome = degraded ? Outcome.DEGRADED : waiter.deferred || delayed ? Outcome.WAITED : Outcome.ADMITTED;
        long slotNanos = offset.earliestLocal(slot);
        long notBefore = offset.latestLocal(slot);
        long releaseIn = Math.max(0, notBefore - settings.lead().toNanos() - now);
        Waiter granted = waiter;
        scheduler.schedule(() -> use(granted, outcome, slotNanos, notBefore, logged), releaseIn, TimeUnit.NANOSECONDS);
    }

    /**
     * Hands the grant to its request, unless it comes later than the late tolerance after the earliest local time
     * its slot can be (a paused or overloaded JVM): then the grant is given back and the request asks again at the
     * head of its tenant's queue, so that what leaves this stage keeps the sliding-window bound and the slot stops
     * counting. When the request left meanwhile (timed out or cancelled), the grant goes to the tenant's next waiter
     * instead: the slot and its tenant are the same.
     */
    private void use(Waiter waiter, Outcome outcome, long slotNanos, long notBefore, GrantedSlot logged) {
        long now = nanoTime.getAsLong();
        long lag = now - slotNanos;
        metrics.grantLag(settings.name(), Duration.ofNanos(Math.max(0, lag)));
        tolerance.observe(lag, now);
        if (lag > logged.toleranceNanos()) {
            metrics.wastedGrant(settings.name(), Waste.LATE);
            giveBack(logged);
            if (!waiter.isClaimed()) {
                synchronized (state) {
                    state.queue.putBack(waiter.tenant, waiter);
                }
            }
            dispatch(false);
            return;
        }
        Waiter taker = waiter.claim() ? waiter : replacement(waiter.tenantId());
        if (taker == null) {
            metrics.wastedGrant(settings.name(), Waste.GONE);
            giveBack(logged);
            dispatch(false);
            return;
        }
        taker.timeout.dispose();
        synchronized (state) {
            state.grants.record(taker.tenantId(), nanoTime.getAsLong());
        }
        succeed(
                taker,
                taker == waiter || outcome == Outcome.DEGRADED ? outcome : Outcome.WAITED,
                slotNanos,
                notBefore,
                logged);
    }

    /**
     * Whether a request holding this permit may leave now: not when it comes later than its grant's tolerance after
     * its slot (the bound checked when the grant was handed out, checked again by the forward stage as the request
     * leaves). A stale grant is counted as wasted; the request must ask again, and the budget stage gives the grant
     * back ({@link #unused}).
     */
    public boolean mayLeave(BudgetPermit permit) {
        long now = nanoTime.getAsLong();
        long lag = now - permit.slotNanos();
        tolerance.observe(lag, now);
        if (lag <= permit.slot().toleranceNanos()) {
            return true;
        }
        metrics.wastedGrant(settings.name(), Waste.LATE_DEPARTURE);
        return false;
    }

    /**
     * The request holding this permit is leaving now: its grant is used (never given back) and is reported to the
     * store with the next call, to count from this departure instead of for all its tolerance.
     */
    public void leaving(BudgetPermit permit) {
        GrantedSlot slot = permit.slot();
        Departed departed = slot.departed(nanoTime.getAsLong(), tolerance.departedCountsForNanos());
        if (departed != null) {
            synchronized (state) {
                state.departures.add(new PendingDeparture(slot.store(), departed));
            }
        }
    }

    /**
     * Gives the permit's grant back: the request did not leave on it (the forward stage refused to write). Once per
     * grant, whoever calls first.
     */
    public void unused(BudgetPermit permit) {
        giveBack(permit.slot());
        dispatch(false);
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
        giveBack(stale.slot());
        return acquire(route, tenant, until, true);
    }

    /** The tenant's oldest waiter that is still waiting, claimed for a grant; null when there is none. */
    private @Nullable Waiter replacement(String tenant) {
        synchronized (state) {
            Waiter next = state.queue.poll(tenant);
            while (next != null && !next.claim()) {
                next = state.queue.poll(tenant);
            }
            return next;
        }
    }

    /**
     * A failed call: its refunds are dropped (the script may have run; giving a grant back twice could take out a used
     * one). Whether the budget degrades is {@link RedisLoss}'s rule; until then requests wait (a slow Redis makes
     * answers slower, not refusals) and the call is made again after the dispatch interval.
     */
    private void onFailure(BudgetStore store, Throwable error) {
        metrics.roundTrip(settings.name(), storeName(store), false);
        boolean retry;
        synchronized (state) {
            state.inFlight = false;
            if (store == shared && state.mode == Mode.SHARED) {
                redisLoss.sharedCallFailed(shared.connected());
            }
            retry = state.mode == Mode.SHARED && !state.closed && state.nextCall == null;
            if (retry) {
                state.nextCall = scheduler.schedule(
                        this::scheduledCall, settings.dispatchInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        if (!retry) {
            dispatch(false);
        }
    }

    private void heartbeat() {
        boolean degraded;
        boolean quiet;
        synchronized (state) {
            degraded = state.mode == Mode.DEGRADED;
            quiet = nanoTime.getAsLong() - state.lastCallNanos
                    >= settings.heartbeat().toNanos();
        }
        if (degraded) {
            probe();
        } else if (quiet) {
            dispatch(true);
        }
    }

    /**
     * Asks Redis whether it is back, carrying this replica's local grants that may still be in a window into the
     * shared log; the grants made while the probe was in flight go with the next shared call.
     */
    private void probe() {
        int carried;
        synchronized (state) {
            carried = redisLoss.carriedOnReturn();
        }
        shared.allocate(new Request(replica, List.of(), Fence.DEGRADED_RETURN, carried))
                .subscribe(
                        allocation -> {
                            metrics.roundTrip(settings.name(), storeName(shared), true);
                            synchronized (state) {
                                redisLoss.returned(allocation, carried);
                            }
                            dispatch(false);
                        },
                        e -> metrics.roundTrip(settings.name(), storeName(shared), false));
    }

    /**
     * Max-wait has passed for a waiter: refused (429) when the store said the limit had no room since it queued
     * ({@link Waiter#deferred}) or it has no deadline; else it waits on until its deadline, and is then refused as
     * the gateway being too busy (503, retryable, nothing sent), never as the limit being exhausted.
     */
    private void expire(Waiter waiter, @Nullable Instant deadline) {
        boolean noRoom;
        synchronized (state) {
            noRoom = waiter.deferred;
        }
        if (noRoom || deadline == null || waiter.isClaimed()) {
            giveUp(waiter, true);
            return;
        }
        metrics.extended(settings.name());
        long left = waiter.deadlineNanos - nanoTime.getAsLong();
        waiter.timeout = scheduler.schedule(() -> busy(waiter), Math.max(0, left), TimeUnit.NANOSECONDS);
        if (waiter.isClaimed()) {
            waiter.timeout.dispose();
        }
    }

    private void giveUp(Waiter waiter, boolean reject) {
        if (!waiter.claim()) {
            return;
        }
        waiter.timeout.dispose();
        synchronized (state) {
            state.queue.remove(waiter.tenantId(), waiter);
        }
        if (reject) {
            reject(waiter);
        }
    }

    private void busy(Waiter waiter) {
        if (!waiter.claim()) {
            return;
        }
        synchronized (state) {
            state.queue.remove(waiter.tenantId(), waiter);
        }
        metrics.decision(waiter.route, waiter.tenantId(), Outcome.EXPIRED, waited(waiter));
        waiter.sink.error(new GatewayRejection(
                GatewayCode.SERVICE_UNAVAILABLE,
                "The gateway could not send the request before its deadline; retry the same request after Retry-After.",
                List.of(),
                RETRY_AFTER));
    }

    private void reject(Waiter waiter) {
        metrics.decision(waiter.route, waiter.tenantId(), Outcome.REJECTED, waited(waiter));
        waiter.sink.error(rateLimited("The shared upstream budget is exhausted; retry later"));
    }

    /** The budget stages' refusal: 429 RATE_LIMITED with Retry-After. */
    static GatewayRejection rateLimited(String detail) {
        return new GatewayRejection(GatewayCode.RATE_LIMITED, detail, List.of(), RETRY_AFTER);
    }

    private void succeed(Waiter waiter, Outcome outcome, long slotNanos, long notBefore, GrantedSlot logged) {
        Duration waited = waited(waiter);
        metrics.decision(waiter.route, waiter.tenantId(), outcome, waited);
        waiter.sink.success(new BudgetPermit(outcome, waited, slotNanos, notBefore, logged));
    }

    private Duration waited(Waiter waiter) {
        return Duration.ofNanos(nanoTime.getAsLong() - waiter.enqueuedNanos);
    }

    private String storeName(@Nullable BudgetStore store) {
        return store == shared ? "redis" : "local";
    }
}
