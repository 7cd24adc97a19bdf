package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Allocation;
import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.budget.BudgetStore.Fence;
import io.payegress.filters.budget.BudgetStore.Grant;
import io.payegress.filters.budget.BudgetStore.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The budget's decision, in plain Java and step for step the same as {@code budget.lua}: trim the grant log, take
 * back refunds and move departed and answered grants, note the caller's backlog, compute each tenant's max-min fair
 * share of the effective limit from the backlog of all live replicas, then hand the caller's tenants the earliest free
 * slots within the horizon, lowest virtual time first, and say which of them offer more than their share of the limit.
 * Not thread-safe; {@link LocalBudgetStore} serializes calls.
 */
public final class BudgetAllocator {

    /**
     * A replica seen within the hold: when it last called, and the share it takes if it degrades, or, when that call
     * was a degraded replica's probe ({@code probing}), the share it grants locally.
     */
    private record Member(long lastCallMicros, int share, boolean probing) {}

    private record Reported(int backlog, int weight, int cap, long expiresAtMicros, double offered) {

        /** A tenant in the log that no live replica reports. */
        static final Reported NONE = new Reported(0, 1, -1, 0, 0);
    }

    private final BudgetSettings settings;
    private final GrantLog log;
    private final AdaptiveLimit limit;
    private final Map<String, Reported> reported = new HashMap<>();
    private final Map<String, Long> replicas = new HashMap<>();
    private final Map<String, Member> members = new HashMap<>();
    private int expectedMembers;
    private int expectedShare;
    private long expectedUntilMicros;
    private long pausedUntilMicros;
    private boolean fresh = true;

    /** An allocator for {@code maxLimit} per window that grants nothing before {@code pausedUntilMicros}. */
    public BudgetAllocator(BudgetSettings settings, int maxLimit, int floor, long nowMicros, long pausedUntilMicros) {
        this.settings = settings;
        this.log = new GrantLog(settings.windowMicros());
        this.limit = new AdaptiveLimit(
                maxLimit,
                Math.min(maxLimit, floor),
                settings.recoveryPerSecond(),
                settings.decreaseFactor(),
                settings.windowMicros(),
                nowMicros);
        this.pausedUntilMicros = pausedUntilMicros;
    }

    /**
     * Decides one replica's call at {@code nowMicros}. A replica back from degraded mode has its local grants carried
     * into the log (see {@link Fence#DEGRADED_RETURN}); a fenced call to an allocator that has decided nothing yet
     * (Redis lost its state) pauses grants for a window, as grants made before are unknown. The shares of replicas
     * that may be degraded are held out of the limit (see {@link Request#members}).
     */
    public Allocation allocate(long nowMicros, Request request) {
        if (fresh && request.fence() != Fence.NONE) {
            pausedUntilMicros = Math.max(pausedUntilMicros, nowMicros + reach(request) + settings.horizonMicros());
        }
        fresh = false;
        int effective = (int) Math.floor(limit.at(nowMicros));
        log.trim(nowMicros);
        request.refunds().forEach(refund -> log.remove(refund.grant()));
        request.departures()
                .forEach(departed ->
                        log.departed(departed.grant(), departed.untilMicros(), departed.count(), nowMicros));
        if (request.fence() == Fence.DEGRADED_RETURN) {
            long last = log.lastExpiry();
            long reach = last == Long.MIN_VALUE ? 0 : last - nowMicros;
            for (int i = 0; i < request.carried(); i++) {
                log.record(nowMicros, reach, "");
            }
        }
        int live = heartbeat(request, nowMicros);
        // whether a tenant offers more than its share is judged against the whole limit: a replica held for may only
        // be slow, and its tenants then wait (slower answers) instead of being refused
        int whole = effective;
        effective = Math.max(0, effective - held(request, live, effective, nowMicros));
        report(request, nowMicros);
        Map<String, Reported> global = globalDemand();
        List<String> tenants = new ArrayList<>(global.keySet());
        log.tenants().stream().filter(t -> !global.containsKey(t)).forEach(tenants::add);
        Map<String, Integer> counts = horizonCounts(nowMicros, tenants);
        List<FairShare.Claim> claims = new ArrayList<>();
        for (String tenant : tenants) {
            Reported r = global.getOrDefault(tenant, Reported.NONE);
            claims.add(new FairShare.Claim(counts.get(tenant) + r.backlog(), r.weight(), r.cap()));
        }
        double[] shares = FairShare.allocate(effective, claims);
        Set<String> overShare = overShare(whole, tenants, global, request.demands());
        List<Demand> demands = request.demands();
        int[] room = new int[demands.size()];
        for (int i = 0; i < room.length; i++) {
            Demand d = demands.get(i);
            double share = shares[tenants.indexOf(d.tenant())];
            room[i] = (int) Math.min(d.backlog(), Math.max(0, Math.ceil(share - counts.get(d.tenant()) - 1e-9)));
        }
        List<Grant> grants = grant(nowMicros, request, effective, room, counts);
        int backlog = demands.stream().mapToInt(Demand::backlog).sum();
        long notBefore = Math.max(nowMicros + request.leadMicros(), pausedUntilMicros);
        long next = backlog > grants.size() ? log.nextSlot(notBefore, effective) - nowMicros : -1;
        int[] given = new int[demands.size()];
        grants.forEach(g -> given[g.demand()]++);
        List<Demand> left = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            Demand d = demands.get(i);
            left.add(new Demand(d.tenant(), d.backlog() - given[i], d.weight(), d.cap(), d.offered()));
        }
        report(new Request(request.replica(), left, request.fence()), nowMicros);
        int known = members.size();
        return new Allocation(effective, live, next, nowMicros, grants, overShare, known);
    }

    /**
     * The caller's tenants that offer more requests per second, over all replicas, than their weighted max-min fair
     * share of the limit computed over what every tenant offers.
     */
    private static Set<String> overShare(
            int effective, List<String> tenants, Map<String, Reported> global, List<Demand> demands) {
        List<FairShare.Claim> offers = new ArrayList<>();
        for (String tenant : tenants) {
            Reported r = global.getOrDefault(tenant, Reported.NONE);
            offers.add(new FairShare.Claim(r.offered(), r.weight(), r.cap()));
        }
        double[] shares = FairShare.allocate(effective, offers);
        Set<String> over = new HashSet<>();
        for (Demand d : demands) {
            int i = tenants.indexOf(d.tenant());
            if (i >= 0 && offers.get(i).demand() > shares[i] + 1e-6) {
                over.add(d.tenant());
            }
        }
        return over;
    }

    /** How long after its slot each grant of this call counts: its reach, at least the window. */
    private long reach(Request request) {
        return Math.max(settings.windowMicros(), request.reachMicros());
    }

    /** Each tenant's grants that are still in the window at the end of the horizon. */
    private Map<String, Integer> horizonCounts(long nowMicros, List<String> tenants) {
        Map<String, Integer> expiring = log.expiringBy(nowMicros + settings.horizonMicros());
        Map<String, Integer> counts = new HashMap<>();
        tenants.forEach(t -> counts.put(t, log.count(t) - expiring.getOrDefault(t, 0)));
        return counts;
    }

    /** Records an upstream throttling signal; returns the new effective limit. */
    public double throttled(long nowMicros) {
        return limit.throttled(nowMicros);
    }

    private List<Grant> grant(long nowMicros, Request request, int effective, int[] room, Map<String, Integer> counts) {
        List<Demand> demands = request.demands();
        long leadMicros = request.leadMicros();
        List<Grant> grants = new ArrayList<>();
        long notBefore = Math.max(nowMicros + leadMicros, pausedUntilMicros);
        while (true) {
            int best = -1;
            double bestTime = Double.MAX_VALUE;
            for (int i = 0; i < room.length; i++) {
                double virtualTime = (counts.get(demands.get(i).tenant()) + 1.0)
                        / demands.get(i).weight();
                if (room[i] > 0 && virtualTime < bestTime) {
                    best = i;
                    bestTime = virtualTime;
                }
            }
            long slot = log.nextSlot(notBefore, effective);
            if (best < 0 || slot > nowMicros + leadMicros + settings.horizonMicros()) {
                break;
            }
            String id =
                    log.record(slot, request.reachMicros(), demands.get(best).tenant());
            counts.merge(demands.get(best).tenant(), 1, Integer::sum);
            room[best]--;
            grants.add(new Grant(best, slot - nowMicros, id));
        }
        return grants;
    }

    private int heartbeat(Request request, long nowMicros) {
        if (request.fence() == Fence.LEAVING) {
            replicas.remove(request.replica());
        } else {
            replicas.put(request.replica(), nowMicros);
        }
        replicas.values().removeIf(seen -> seen <= nowMicros - settings.replicaTtlMicros());
        return replicas.size();
    }

    /**
     * The shares held out of this call's grants for replicas that may be degraded: each other member whose local
     * grants (after its last call plus the degraded pause) the latest grant of this call can meet, and, after a degraded
     * return, each replica it shared with that is no member yet; then records the caller as a member with the share it
     * takes if it degrades (none when it leaves). Members last seen a hold ago are forgotten.
     */
    private int held(Request request, int live, int effective, long nowMicros) {
        String replica = request.replica();
        members.remove(replica);
        members.values().removeIf(m -> m.lastCallMicros() <= nowMicros - settings.holdMicros());
        long latestCount = nowMicros + request.leadMicros() + settings.horizonMicros() + reach(request);
        int held = members.values().stream()
                .filter(m -> m.probing() || m.lastCallMicros() + settings.degradedPauseMicros() < latestCount)
                .mapToInt(Member::share)
                .sum();
        boolean leaving = request.fence() == Fence.LEAVING;
        int known = members.size() + (leaving ? 0 : 1);
        if (expectedUntilMicros <= nowMicros) {
            expectedMembers = 0;
            expectedShare = 0;
        }
        if (request.fence() == Fence.DEGRADED_RETURN && request.members() > 0) {
            expectedMembers = Math.max(expectedMembers, request.members());
            expectedShare = Math.max(expectedShare, request.share());
            expectedUntilMicros = nowMicros + settings.holdMicros();
        }
        if (expectedUntilMicros > nowMicros) {
            held += Math.max(0, expectedMembers - known) * expectedShare;
        }
        if (!leaving) {
            // a probe's answer may never reach the degraded replica, which then goes on granting locally: its share
            // stays held until it calls in shared mode
            int share = request.probing()
                    ? request.share()
                    : Math.max(1, Math.max(0, effective - held) / Math.max(1, live));
            members.put(replica, new Member(nowMicros, share, request.probing()));
        }
        return held;
    }

    /** The replica's report replaces its previous one whole: a tenant it no longer names has nothing there. */
    private void report(Request request, long nowMicros) {
        String prefix = request.replica() + "|";
        reported.keySet().removeIf(key -> key.startsWith(prefix));
        for (Demand d : request.demands()) {
            if (d.backlog() > 0 || d.offered() > 0) {
                long expiresAt = nowMicros + settings.demandTtlMicros();
                reported.put(
                        prefix + d.tenant(), new Reported(d.backlog(), d.weight(), d.cap(), expiresAt, d.offered()));
            }
        }
        reported.values().removeIf(r -> r.expiresAtMicros() <= nowMicros);
    }

    private Map<String, Reported> globalDemand() {
        Map<String, Reported> global = new LinkedHashMap<>();
        reported.forEach((key, r) -> global.merge(
                key.substring(key.indexOf('|') + 1),
                r,
                (a, b) -> new Reported(a.backlog() + b.backlog(), b.weight(), b.cap(), 0, a.offered() + b.offered())));
        return global;
    }
}
