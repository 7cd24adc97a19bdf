package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetStore.Allocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/** The mutable state of one limiter's dispatcher; guarded by its own monitor. */
final class DispatchState {

    final FairQueue<Waiter> queue = new FairQueue<>();
    boolean inFlight;
    boolean arrivedDuringCall;
    boolean reportedBacklog;
    boolean closed;

    /** What waits for the call in flight to land (the replica's leave, which must reach the store after it). */
    @Nullable
    Runnable afterCall;

    @Nullable
    Disposable nextCall;

    Mode mode = Mode.SHARED;

    @Nullable
    BudgetStore local;

    int limit;
    int localLimit;
    int live = 1;

    /** The replicas the store holds a share for or knows live, as its last answer said ({@link Allocation#members}). */
    int members = 1;

    /** While degraded: the members the store last said there were, and the share of the limit taken locally. */
    int degradedMembers;

    int degradedShare;
    long degradations;
    long lastGrantNanos;
    long lastCallNanos;

    /** Where the Redis clock stands against the local one; the local store gets a fresh one at each degradation. */
    final StoreClock sharedClock = new StoreClock();

    StoreClock localClock = new StoreClock();

    /** Failed shared calls in a row, and since when they fail (-1 while calls succeed). */
    int failures;

    long failingSinceNanos = -1;
    /** Departures of granted requests, reported to the store that granted them with its next call. */
    final List<PendingDeparture> departures = new ArrayList<>();

    /** Grants given back unused, for the next call to the store that granted them. */
    final List<GrantedSlot> refunds = new ArrayList<>();

    /** While degraded: the latest local time of each local grant, carried into the shared log on return. */
    final ArrayDeque<Long> localGrants = new ArrayDeque<>();

    /** Local grants made while the return probe was in flight, carried by the next shared call. */
    int carryPending;

    /** Grants handed out here per tenant, for shedding. */
    final GrantRate grants = new GrantRate();

    /** What each tenant brings to this budget here lately, reported to the store with the backlog. */
    final OfferedLoad offered = new OfferedLoad();

    /**
     * The tenants the last answer said offer more than their share of the limit ({@link Allocation#overShare}): only
     * their waiting requests can be refused for want of room, and only they are shed at admission.
     */
    Set<String> overShare = Set.of();

    /** Requests per tenant admitted towards this budget and not yet granted or refused ({@link AdmissionTicket}). */
    final Map<String, Integer> admitted = new HashMap<>();
}
