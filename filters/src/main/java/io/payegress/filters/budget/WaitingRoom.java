package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetMetrics.Outcome;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The waiting side of one limiter: requests queue per tenant on the limiter's {@link DispatchState}, each with a timer
 * for max-wait and its deadline, and leave it refused (429 when the limit had no room, 503 when only this replica was
 * slow), cancelled, or shed before they queue at all.
 */
final class WaitingRoom {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /**
     * The part of max-wait a tenant over its share may have queued here: grants come irregularly, and a queue holding
     * all of max-wait's expected grants refused about half its tail after max-wait, each signed for nothing; one
     * holding half of it still never runs dry at overload (arrivals outpace grants) and its requests leave in time.
     */
    private static final double QUEUE_HORIZON = 0.5;

    /**
     * How much a new time on the way from admission to the budget's queue moves {@link #wayNanos}: about the last
     * twenty requests' times count.
     */
    private static final double WAY_WEIGHT = 0.05;

    /** For {@link #enter}'s {@code arrivedNanos}: counted towards what the tenant offers already, at admission. */
    static final long COUNTED = Long.MIN_VALUE;

    private final BudgetSettings settings;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final DispatchState state;

    /**
     * How long admitted requests took lately from the admission stage to their first ask of the budget (their bodies
     * read, validated, deduped and signed), a moving average; guarded by {@code state}.
     */
    private double wayNanos;

    WaitingRoom(
            BudgetSettings settings,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            Scheduler scheduler,
            DispatchState state) {
        this.settings = settings;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.state = state;
    }

    /**
     * Queues the waiter for at most {@code wait} (max-wait, or less to its deadline), {@code again} at the head of its
     * tenant's queue; true when the dispatcher must be asked: it was idle, or the waiter asks again. A waiter with no
     * wait left is refused at once as the gateway being too busy (503). A first ask counts towards what the tenant
     * offers, from {@code arrivedNanos} (when its request reached this host), unless that is {@link #COUNTED}.
     */
    boolean enter(Waiter waiter, @Nullable Instant deadline, Duration wait, boolean again, long arrivedNanos) {
        if (wait.isNegative() || wait.isZero()) {
            busy(waiter); // its deadline passed before it could ask: not the limit's doing
            return false;
        }
        waiter.sink.onCancel(() -> giveUp(waiter, false));
        waiter.timeout = scheduler.schedule(() -> expire(waiter, deadline), wait.toNanos(), TimeUnit.NANOSECONDS);
        boolean idle;
        synchronized (state) {
            if (again) {
                state.queue.putBack(waiter.tenant, waiter);
            } else {
                if (arrivedNanos != COUNTED) {
                    state.offered.arrived(waiter.tenant, arrivedNanos, nanoTime.getAsLong());
                }
                state.queue.add(waiter.tenant, waiter);
            }
            idle = !state.inFlight && state.nextCall == null;
            state.arrivedDuringCall |= state.inFlight;
        }
        return idle || again;
    }

    /**
     * The rule of {@link BudgetLimiter#admissible}: false once the store said the tenant offers more than its share of
     * the limit ({@link DispatchState#overShare}: the limit has no room for what it offers) and the tenant's requests
     * ahead here (queued, or admitted and still on their way to the queue) are what the budget can be expected to grant
     * it while they make their way there ({@link #wayNanos}, at most half of max-wait) and then within half of max-wait
     * ({@link #QUEUE_HORIZON}). Whether the budget's own queue is starved does not matter: when the replica's signing
     * threads are behind, the queue runs dry while the requests pile up on their way to it.
     */
    boolean admissible(Tenant tenant) {
        synchronized (state) {
            return admissibleHolding(tenant.id().value());
        }
    }

    /**
     * Admits a request of the tenant and counts it until its ticket closes; null when not {@link #admissible}. Either
     * way it counts towards what the tenant offers, from {@code arrivedNanos}.
     */
    @Nullable
    AdmissionTicket admit(Tenant tenant, long arrivedNanos) {
        String id = tenant.id().value();
        synchronized (state) {
            state.offered.arrived(tenant, arrivedNanos, nanoTime.getAsLong());
            if (!admissibleHolding(id)) {
                return null;
            }
            state.admitted.merge(id, 1, Integer::sum);
        }
        return new AdmissionTicket(id, nanoTime.getAsLong(), this::admittedLeft, this::askedFirst);
    }

    /**
     * True when a request of the tenant is not {@link #admissible}; it then counts towards what the tenant offers, from
     * {@code sinceArrivalNanos} (asked only then). False counts nothing: the request is admitted later, and counted
     * there.
     */
    boolean refusesAtDoor(Tenant tenant, LongSupplier sinceArrivalNanos) {
        synchronized (state) {
            if (admissibleHolding(tenant.id().value())) {
                return false;
            }
        }
        long now = nanoTime.getAsLong();
        long arrived = now - Math.max(0, sinceArrivalNanos.getAsLong());
        synchronized (state) {
            state.offered.arrived(tenant, arrived, now);
        }
        return true;
    }

    private void askedFirst(long admittedNanos) {
        long way = Math.max(0, nanoTime.getAsLong() - admittedNanos);
        synchronized (state) {
            wayNanos += (way - wayNanos) * WAY_WEIGHT;
        }
    }

    private void admittedLeft(String id) {
        synchronized (state) {
            state.admitted.computeIfPresent(id, (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    /**
     * Whether {@link #admissible} can refuse anyone now: the store said some tenant offers more than its share. False
     * admits every request, whoever its tenant.
     */
    boolean mayShed() {
        synchronized (state) {
            return !state.overShare.isEmpty();
        }
    }

    private boolean admissibleHolding(String id) {
        if (!state.overShare.contains(id)) {
            return true;
        }
        // its equal share of what this replica is granted, over the tenants with requests ahead here
        double share = (double) state.limit / Math.max(1, state.live) / Math.max(1, tenantsAhead());
        double perSecond = Math.max(state.grants.perSecond(id, nanoTime.getAsLong()), share);
        // what it is granted while its requests make their way here, and half of max-wait's grants for its queue
        double queued = settings.maxWait().toNanos() * QUEUE_HORIZON;
        double expected = perSecond * (Math.min(wayNanos, queued) + queued) / 1e9;
        // the admitted are in the queue or on their way to it; the queue also holds requests asking again, unticketed
        int ahead = Math.max(state.queue.size(id), state.admitted.getOrDefault(id, 0));
        return ahead < Math.max(1, expected);
    }

    /** The tenants with requests ahead here: queued, or admitted and on their way to the queue. */
    private int tenantsAhead() {
        return state.admitted.size() + state.queue.tenantsBesides(state.admitted);
    }

    /**
     * Max-wait has passed for a waiter: refused (429) when the store said since it queued that the limit had no room
     * for it, its tenant offering more than its share ({@link Waiter#deferred}), or it has no deadline; else it waits
     * on until its deadline, and is then refused as the gateway being too busy (503, retryable, nothing sent), never
     * as the limit being exhausted.
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

    /** The waiter leaves the queue unless something else claimed it first; refused with 429 when {@code reject}. */
    void giveUp(Waiter waiter, boolean reject) {
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

    /** How long the waiter has waited so far. */
    Duration waited(Waiter waiter) {
        return Duration.ofNanos(nanoTime.getAsLong() - waiter.enqueuedNanos);
    }
}
