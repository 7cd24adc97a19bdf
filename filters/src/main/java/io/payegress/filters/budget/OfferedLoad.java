package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.tenant.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each tenant brings to one limiter lately, in requests per second: every request its admission stage sees, shed
 * ones included, or every first ask of the budget on a route without one (a request asking again after a stale grant
 * is not counted twice), over the last seconds. Reported
 * with the backlog, it lets the store say whether the limit has room for what a tenant offers
 * ({@link BudgetStore.Allocation#overShare}): only then can its waiting requests be refused for want of room. A starved
 * replica's backlog is no such sign: it piles up while the replica stands still and the limit has room. Guarded by
 * the limiter's {@link DispatchState}.
 */
final class OfferedLoad {

    /**
     * The two periods the rate is taken over; the lower of the two counts. Over the short one, the end of an overload
     * shows within two seconds; over the long one, a burst (clients sending at once what they held while the gateway
     * was slow, up to a second's worth at 80% of the limit) is not taken for one. Overload (twice the limit and more)
     * still shows within half a second of being read.
     */
    static final Duration SHORT_PERIOD = Duration.ofSeconds(2);

    static final Duration LONG_PERIOD = Duration.ofSeconds(5);

    private final ArrivalLog arrivals = new ArrivalLog();
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();

    /**
     * A first ask of a request of the tenant that reached this host at {@code arrivedNanos}, counted from then: a
     * replica that stood still reads what queued meanwhile at once, and counted when read it would seem to offer more
     * than it does.
     */
    void arrived(Tenant tenant, long arrivedNanos, long nowNanos) {
        String id = tenant.id().value();
        tenants.put(id, tenant);
        arrivals.record(id, Math.min(arrivedNanos, nowNanos));
    }

    /**
     * The tenant's requests per second up to when the request read last came ({@link ArrivalLog#asOf}: on a replica
     * that is behind, what came since is not read yet), the lower of its rates over {@link #SHORT_PERIOD} and
     * {@link #LONG_PERIOD}.
     */
    double perSecond(String tenant, long nowNanos) {
        long asOf = arrivals.asOf(nowNanos);
        return Math.min(
                arrivals.perSecond(tenant, SHORT_PERIOD.toNanos(), asOf),
                arrivals.perSecond(tenant, LONG_PERIOD.toNanos(), asOf));
    }

    /**
     * The demands of the waiting requests, each with its tenant's offered rate, and one with no backlog for each tenant
     * that offered lately and waits for nothing here; a tenant quiet for {@link ArrivalLog#SPAN_NANOS} is forgotten.
     */
    List<Demand> demands(List<Demand> waiting, long nowNanos) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Iterator<Tenant> it = tenants.values().iterator(); it.hasNext(); ) {
            String id = it.next().id().value();
            if (arrivals.forgetIdle(id, nowNanos)) {
                it.remove();
            } else {
                rates.put(id, perSecond(id, nowNanos));
            }
        }
        List<Demand> demands = new ArrayList<>(Math.max(waiting.size(), rates.size()));
        for (Demand d : waiting) {
            double offered = rates.containsKey(d.tenant()) ? rates.remove(d.tenant()) : 0;
            demands.add(new Demand(d.tenant(), d.backlog(), d.weight(), d.cap(), offered));
        }
        rates.forEach((id, offered) -> {
            if (offered > 0) {
                Tenant tenant = tenants.get(id);
                demands.add(
                        new Demand(id, 0, tenant.weight(), tenant.capPerSecond().orElse(-1), offered));
            }
        });
        return demands;
    }
}
