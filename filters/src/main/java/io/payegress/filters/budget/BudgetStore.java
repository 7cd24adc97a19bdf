package io.payegress.filters.budget;

import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Where one budget's grants are decided: the shared Redis script, or the in-memory copy a replica falls back to.
 * One call asks for tokens for all of a replica's waiting requests at once and reports their backlog per tenant.
 */
public interface BudgetStore {

    /** Asks for grants for the waiting requests of one replica. */
    Mono<Allocation> allocate(Request request);

    /** Reports an upstream throttling signal; emits the new effective limit. */
    Mono<Double> throttled();

    /**
     * Whether the store's connection is up as far as this replica can tell (true for a store in memory). A failed call
     * over a live connection is a slow store, to be waited for; a failed call over a connection that is down is a
     * store gone, to degrade from at once.
     */
    default boolean connected() {
        return true;
    }

    /** How a replica's call must fence grants decided elsewhere that this store does not know about. */
    enum Fence {
        /** Nothing to fence. */
        NONE,
        /** The caller granted in the last window: if the store lost its state, pause one window. */
        RECENT_GRANTS,
        /**
         * The caller granted locally while the store was unreachable: the request carries how many of those grants may
         * still be in a window, and the store adds as many entries at the tail of its log (every window holding both
         * a local grant and a later shared one holds the tail too), instead of pausing every replica for a window.
         */
        DEGRADED_RETURN,
        /**
         * The caller is shutting down and grants nothing more, here or locally: it stops counting as a member at once,
         * so that its share of the limit is not held out for it (see {@link Request#members}).
         */
        LEAVING
    }

    /**
     * The waiting requests of one tenant at the calling replica; cap is per second, negative for none.
     * {@code offered} is how many requests per second the tenant brought to this budget here lately (those its
     * admission stage saw, shed ones included, or the first asks where there is none; never a request asking again
     * after a stale grant): summed over the replicas, it says whether the limit has room for what the tenant asks
     * ({@link Allocation#overShare}).
     */
    record Demand(String tenant, int backlog, int weight, int cap, double offered) {

        public Demand {
            if (backlog < 0 || !(offered >= 0)) {
                throw new IllegalArgumentException("backlog and offered must be >= 0");
            }
        }

        /** A demand with no offered rate: never over its share. */
        public Demand(String tenant, int backlog, int weight, int cap) {
            this(tenant, backlog, weight, cap, 0);
        }
    }

    /**
     * A grant this replica gives back unused: no request was written to the upstream on it (it came too late to its
     * request or at the socket, or its request had gone), so the store takes it out of its log and the slot stops
     * counting against the limit and the tenant's share. {@code grant} is the id the store gave it ({@link Grant#id}).
     */
    record Refund(String grant) {}

    /**
     * A grant whose request left: from now on it counts against the limit until {@code untilMicros} on the store's
     * clock, as {@code count} says.
     */
    record Departed(String grant, long untilMicros, Count count) {

        /** A departure: no longer than its time in the log says (the departure plus the window less the tolerance). */
        static Departed leaving(String grant, long untilMicros) {
            return new Departed(grant, untilMicros, Count.AT_MOST);
        }
    }

    /** How a reported time changes a grant's time in the log. The script knows them by their order: keep it. */
    enum Count {
        /**
         * The request left: it counts until the latest its departure can have been, plus the window less the late
         * tolerance (the margin's allowance for the way to WeChat), when that is sooner than its slot plus its reach.
         */
        AT_MOST,
        /**
         * WeChat's answer came later than usual: the request reached WeChat before it, so it counts until the latest
         * the answer can have come, plus the window, later than its departure said when the way to WeChat may have
         * taken longer than the margin allows for (a stalled upstream, a lost packet): the count follows what may have
         * happened instead of what the margin assumed, and slots not yet granted stay clear of the call. (An answer in
         * its usual time is reported {@link #AT_MOST}.)
         */
        EXACTLY,
        /**
         * No answer came (a timeout, a closed connection): the request reached WeChat before now, if at all, so it
         * counts at least until now plus the window.
         */
        AT_LEAST
    }

    /**
     * One replica's call; {@code carried} counts local grants carried into the log with {@link Fence#DEGRADED_RETURN},
     * {@code refunds} are grants given back unused, {@code departures} grants whose requests left, and
     * {@code leadMicros} is how far after the store's now the earliest slot may be: the time the answer takes to reach
     * the caller and its request to reach the socket, so that a grant does not arrive after its own slot (at 0, a
     * grant made at once is already late by the round trip). {@code reachMicros} is how long after its slot each grant
     * of this call counts against the limit (at least the window; 0 for the window): the window plus however much
     * later than the late tolerance this replica may leave after a slot. A replica whose requests leave late pays for
     * it in the limit, not in grants thrown away.
     *
     * <p>A replica that stops calling may be degraded, granting its share of the limit locally, so the store holds
     * that share out of the limit until the replica calls again or leaves ({@link Fence#LEAVING}), for at most
     * {@link BudgetSettings#holdMicros}. A store that lost its state does not know who shared it: a degraded return
     * says how many {@code members} shared the limit before it degraded ({@link Allocation#members}) and the
     * {@code share} it took, and the store holds that share for each of them it does not know yet (0 and 0 on other
     * calls). The probing replica's own share stays held too, until it calls in shared mode: the probe's answer may
     * never reach it, and it then goes on granting locally.
     */
    record Request(
            String replica,
            List<Demand> demands,
            Fence fence,
            int carried,
            List<Refund> refunds,
            long leadMicros,
            long reachMicros,
            List<Departed> departures,
            int members,
            int share) {

        public Request {
            demands = List.copyOf(demands);
            refunds = List.copyOf(refunds);
            departures = List.copyOf(departures);
            if (leadMicros < 0 || reachMicros < 0 || members < 0 || share < 0) {
                throw new IllegalArgumentException("leadMicros, reachMicros, members and share must be >= 0");
            }
        }

        public Request(
                String replica,
                List<Demand> demands,
                Fence fence,
                int carried,
                List<Refund> refunds,
                long leadMicros,
                long reachMicros,
                List<Departed> departures) {
            this(replica, demands, fence, carried, refunds, leadMicros, reachMicros, departures, 0, 0);
        }

        /**
         * A degraded replica's probe: whether Redis is back, carrying its local grants that may still be in a window,
         * how many replicas the store knew before it degraded (at least one) and the share it grants locally.
         */
        public static Request probe(String replica, int carried, int members, int share) {
            return new Request(
                    replica,
                    List.of(),
                    Fence.DEGRADED_RETURN,
                    carried,
                    List.of(),
                    0,
                    0,
                    List.of(),
                    Math.max(1, members),
                    share);
        }

        /** Whether this is a degraded replica's {@link #probe}, whose answer may never reach it. */
        public boolean probing() {
            return fence == Fence.DEGRADED_RETURN && members > 0;
        }

        public Request(
                String replica, List<Demand> demands, Fence fence, int carried, List<Refund> refunds, long leadMicros) {
            this(replica, demands, fence, carried, refunds, leadMicros, 0, List.of());
        }

        public Request(String replica, List<Demand> demands, Fence fence, int carried, List<Refund> refunds) {
            this(replica, demands, fence, carried, refunds, 0);
        }

        public Request(String replica, List<Demand> demands, Fence fence, int carried) {
            this(replica, demands, fence, carried, List.of());
        }

        public Request(String replica, List<Demand> demands, Fence fence) {
            this(replica, demands, fence, 0);
        }
    }

    /**
     * A grant for the demand at the given index, usable after the given delay from now; {@code id} names it in the
     * store's log, to give it back or report its departure.
     */
    record Grant(int demand, long delayMicros, String id) {}

    /**
     * The answer: the effective limit less the shares held out for replicas that may be degraded, the live replicas,
     * when the next slot frees (micros from now, negative when
     * the caller's backlog was served), the store's clock when it decided (micros, the instant every delay counts
     * from), the grants, and the caller's tenants that offer more than their share: those whose requests, offered
     * per second over all replicas, exceed their weighted max-min fair share of the limit when the shares are
     * computed over what every tenant offers ({@link Demand#offered}). Only their waiting requests can be refused
     * for want of room in the limit; a tenant within its share that waits, waits on slowness, not on the limit.
     * {@code members} counts the replicas the store holds a share for or knows live, the caller included: what a
     * degraded return reports ({@link Request#members}).
     */
    record Allocation(
            int limit,
            int liveReplicas,
            long nextSlotMicros,
            long clockMicros,
            List<Grant> grants,
            Set<String> overShare,
            int members) {

        public Allocation {
            grants = List.copyOf(grants);
            overShare = Set.copyOf(overShare);
        }

        /** An answer no tenant of which offers more than its share. */
        public Allocation(int limit, int liveReplicas, long nextSlotMicros, long clockMicros, List<Grant> grants) {
            this(limit, liveReplicas, nextSlotMicros, clockMicros, grants, Set.of(), liveReplicas);
        }

        /**
         * The share of the limit a replica that got this answer takes if it degrades: the limit over the live
         * replicas, at least one. The store records the same for it, to hold out while it may be degraded.
         */
        public int degradedShare() {
            return Math.max(1, limit / Math.max(1, liveReplicas));
        }
    }
}
