package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One limiter's single dispatcher: one call to the store at a time asks for grants for all the waiting requests
 * ({@link AllocationCalls} says what), made when a request finds it idle, again at once when requests arrived or grants
 * were given back meanwhile, when the answer says a slot frees, after a failure, and on the {@link Heartbeat}. Calls
 * the local store while the budget is degraded.
 */
final class StoreDispatcher {

    private final BudgetSettings settings;
    private final BudgetStore shared;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final DispatchState state;
    private final AllocationCalls calls;
    private final RedisLoss redisLoss;

    StoreDispatcher(
            BudgetSettings settings,
            BudgetStore shared,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            Scheduler scheduler,
            DispatchState state,
            AllocationCalls calls,
            RedisLoss redisLoss) {
        this.settings = settings;
        this.shared = shared;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.state = state;
        this.calls = calls;
        this.redisLoss = redisLoss;
    }

    /**
     * Tells the shared store this replica leaves ({@link Fence#LEAVING}), with what is pending for it, so that its share
     * is not held out of the limit after it; nothing when degraded (the store holds its share until the hold ends). A
     * call in flight lands first: run by the store after the leave, it would make this replica a member again, its
     * share then held for the whole hold.
     */
    Mono<Void> leave() {
        return Mono.create(sink -> {
            synchronized (state) {
                if (state.inFlight) {
                    state.afterCall = () -> sendLeave().subscribe(none -> {}, sink::error, sink::success);
                    return;
                }
            }
            sendLeave().subscribe(none -> {}, sink::error, sink::success);
        });
    }

    private Mono<Void> sendLeave() {
        Request request;
        synchronized (state) {
            if (state.mode != Mode.SHARED) {
                return Mono.empty();
            }
            request = calls.leaving(shared);
        }
        return shared.allocate(request).then();
    }

    /** What waited for the call that just landed; called holding the state, run after it. */
    private @Nullable Runnable takeAfterCall() {
        Runnable after = state.afterCall;
        state.afterCall = null;
        return after;
    }

    /** Reports an upstream 429 to the store in use: shrinks the shared (or, when degraded, the local) limit. */
    void throttled() {
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

    /**
     * Makes the next call, unless the limiter is closed, a call is in flight, the degraded budget has no local store to
     * grant from, or there is nothing to say (no waiter, backlog, grant given back or departure; {@code force}: call
     * anyway, as the heartbeat does). A call scheduled for later is made now instead.
     */
    void dispatch(boolean force) {
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
            request = calls.request(store);
            state.lastCallNanos = nanoTime.getAsLong();
        }
        BudgetStore chosen = store;
        long sent = nanoTime.getAsLong();
        chosen.allocate(request)
                .subscribe(a -> onAllocation(chosen, request, a, sent), e -> onFailure(chosen, request, e));
    }

    private void onAllocation(BudgetStore store, Request request, Allocation allocation, long sentNanos) {
        long receivedNanos = nanoTime.getAsLong();
        metrics.roundTrip(settings.name(), storeName(store), true);
        metrics.roundTripTime(settings.name(), Duration.ofNanos(receivedNanos - sentNanos));
        boolean again;
        Runnable after;
        synchronized (state) {
            state.inFlight = false;
            calls.answered(store, store != shared, request, allocation, sentNanos, receivedNanos);
            again = followUp(allocation);
            after = takeAfterCall();
        }
        if (after != null) {
            after.run();
        }
        if (again) {
            dispatch(false);
        }
    }

    /**
     * After an answer's grants, holding the state: when it left backlog unserved, every waiting request of a tenant
     * that offers more than its share counts as deferred (the limit had no room for it; a tenant within its share
     * waits on this replica's or another's slowness, not on the limit), and the next call is made when the next slot
     * frees. True to call again at once: requests arrived during the call, or grants were given back.
     */
    private boolean followUp(Allocation allocation) {
        boolean starved = allocation.nextSlotMicros() >= 0;
        state.reportedBacklog = starved;
        state.overShare = allocation.overShare();
        boolean again = (!starved && state.arrivedDuringCall && !state.queue.isEmpty()) || !state.refunds.isEmpty();
        if (starved) {
            state.queue.all().stream()
                    .filter(w -> state.overShare.contains(w.tenantId()))
                    .forEach(w -> w.deferred = true);
            long waitMicros = Math.max(
                    settings.dispatchInterval().toNanos() / 1_000,
                    allocation.nextSlotMicros() - settings.horizonMicros());
            state.nextCall = scheduler.schedule(this::scheduledCall, waitMicros, TimeUnit.MICROSECONDS);
        }
        return again;
    }

    private void scheduledCall() {
        synchronized (state) {
            state.nextCall = null;
        }
        dispatch(false);
    }

    /**
     * A failed call: its refunds are dropped (the script may have run; a grant kept counting is only capacity lost),
     * its departures go again with the next call, ahead of any reported since: a late answer, a late write or a failure
     * counts a grant longer than its departure said, and lost with a call that did not run, its call could share a
     * sliding second with slots granted after the shorter count (each report sets or bounds a grant's count, so one
     * applied twice, in order, changes nothing). Whether the budget degrades is {@link RedisLoss}'s rule; until then
     * requests wait (a slow Redis makes answers slower, not refusals) and the call is made again after the dispatch
     * interval.
     */
    private void onFailure(BudgetStore store, Request request, Throwable error) {
        metrics.roundTrip(settings.name(), storeName(store), false);
        boolean retry;
        Runnable after;
        synchronized (state) {
            state.inFlight = false;
            after = takeAfterCall();
            state.departures.addAll(
                    0,
                    request.departures().stream()
                            .map(departed -> new PendingDeparture(store, departed))
                            .toList());
            if (store == shared && state.mode == Mode.SHARED) {
                redisLoss.sharedCallFailed(shared.connected());
            }
            retry = state.mode == Mode.SHARED && !state.closed && state.nextCall == null;
            if (retry) {
                state.nextCall = scheduler.schedule(
                        this::scheduledCall, settings.dispatchInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        if (after != null) {
            after.run();
        }
        if (!retry) {
            dispatch(false);
        }
    }

    /** The store's name in the metrics. */
    String storeName(@Nullable BudgetStore store) {
        return store == shared ? "redis" : "local";
    }
}
