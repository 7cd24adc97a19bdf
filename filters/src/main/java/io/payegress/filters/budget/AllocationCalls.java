package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Departed;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Grant;
import io.payegress.filters.budget.BudgetStore.Refund;
import io.payegress.filters.budget.BudgetStore.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What one limiter's allocation calls say and what their answers mean, on its {@link DispatchState} (every method is
 * called holding it): a call carries the backlog, the fence, the carried local grants, the grants given back and the
 * departures, the lead and the reach; an answer sets where the store's clock stands, the way back, the limit, and
 * hands its grants to the {@link GrantHandout}. The {@link StoreDispatcher} decides when to call.
 */
final class AllocationCalls {

    private final BudgetSettings settings;
    private final String replica;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final DispatchState state;
    private final Tolerance tolerance;
    private final Lead lead;
    private final RedisLoss redisLoss;
    private final GrantHandout handout;

    AllocationCalls(
            BudgetSettings settings,
            String replica,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            DispatchState state,
            Tolerance tolerance,
            RedisLoss redisLoss,
            GrantHandout handout) {
        this.settings = settings;
        this.replica = replica;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.state = state;
        this.tolerance = tolerance;
        this.lead = new Lead(settings);
        this.redisLoss = redisLoss;
        this.handout = handout;
    }

    /** The next call to {@code store}: the backlog, the fence, and what is pending for that store. */
    Request request(@Nullable BudgetStore store) {
        List<Refund> refunds = takeFor(store, state.refunds, GrantedSlot::store, GrantedSlot::refund);
        List<Departed> departures =
                takeFor(store, state.departures, PendingDeparture::store, PendingDeparture::departed);
        boolean carrying = state.mode == Mode.SHARED && state.carryPending > 0;
        return new Request(
                replica,
                state.offered.demands(state.queue.demands(), nanoTime.getAsLong()),
                carrying ? Fence.DEGRADED_RETURN : fence(),
                carrying ? state.carryPending : 0,
                refunds,
                lead.micros(nanoTime.getAsLong()),
                tolerance.reachMicros(nanoTime.getAsLong()),
                departures);
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
     * The last call to {@code store} of a replica shutting down ({@link Fence#LEAVING}): what is pending for it, and
     * no demand.
     */
    Request leaving(BudgetStore store) {
        List<Refund> refunds = takeFor(store, state.refunds, GrantedSlot::store, GrantedSlot::refund);
        List<Departed> departures =
                takeFor(store, state.departures, PendingDeparture::store, PendingDeparture::departed);
        return new Request(replica, List.of(), Fence.LEAVING, 0, refunds, 0, 0, departures);
    }

    private Fence fence() {
        boolean recent = nanoTime.getAsLong() - state.lastGrantNanos
                < (settings.windowMicros() + settings.horizonMicros()) * 1_000;
        return state.lastGrantNanos != 0 && recent ? Fence.RECENT_GRANTS : Fence.NONE;
    }

    /**
     * {@code store}'s answer to {@code request}, sent at {@code sentNanos} and received at {@code receivedNanos}
     * ({@code degraded}: from a local store): what it says of the store, then its grants, handed out.
     */
    void answered(
            BudgetStore store,
            boolean degraded,
            Request request,
            Allocation allocation,
            long sentNanos,
            long receivedNanos) {
        StoreClock.Offset offset = learn(degraded, request, allocation, sentNanos, receivedNanos);
        handOut(store, degraded, request, allocation, offset, receivedNanos);
    }

    /**
     * What an answer says of its store: where its clock stands against the local one, how long the answer took to come
     * back from its decision (the lead), and its limit (and, shared, the live replicas).
     */
    private StoreClock.Offset learn(
            boolean degraded, Request request, Allocation allocation, long sentNanos, long receivedNanos) {
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
            state.members = allocation.members();
            redisLoss.sharedCallAnswered();
            state.carryPending = Math.max(0, state.carryPending - request.carried());
        }
        return offset;
    }

    /**
     * Releases each grant of the answer to its tenant's waiters; a degraded replica first notes each local grant for
     * its return to Redis (or for the next shared call, when it returned meanwhile).
     */
    private void handOut(
            BudgetStore store,
            boolean degraded,
            Request request,
            Allocation allocation,
            StoreClock.Offset offset,
            long receivedNanos) {
        long decidedNanos = allocation.clockMicros() * 1_000;
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
            handout.release(demand, grant.delayMicros() > 0, slot, offset, degraded, logged);
        }
    }
}
