package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Demand;
import io.payegress.filters.tenant.Tenant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The requests of one replica waiting for a budget, one FIFO queue per tenant. Which tenant is served next is
 * decided by the allocator (lowest weighted virtual time among the tenants with room in their fair share); this
 * queue reports each tenant's backlog with its weight and cap and hands out its oldest waiter per grant.
 */
public final class FairQueue<W> {

    private record Line<W>(Tenant tenant, ArrayDeque<W> waiting) {}

    private final Map<String, Line<W>> lines = new LinkedHashMap<>();
    private int size;

    /** Queues a waiter behind the tenant's earlier ones. */
    public void add(Tenant tenant, W waiter) {
        lines.computeIfAbsent(tenant.id().value(), id -> new Line<>(tenant, new ArrayDeque<>()))
                .waiting()
                .add(waiter);
        size++;
    }

    /** Puts a waiter back at the head of its tenant's queue (its grant came too late to use). */
    public void putBack(Tenant tenant, W waiter) {
        lines.computeIfAbsent(tenant.id().value(), id -> new Line<>(tenant, new ArrayDeque<>()))
                .waiting()
                .addFirst(waiter);
        size++;
    }

    /** Removes a waiter that gave up; false if it was not queued. */
    public boolean remove(String tenant, W waiter) {
        Line<W> line = lines.get(tenant);
        boolean removed = line != null && line.waiting().remove(waiter);
        size -= removed ? 1 : 0;
        return removed;
    }

    /** The tenant's oldest waiter, or null. */
    public @Nullable W poll(String tenant) {
        Line<W> line = lines.get(tenant);
        W waiter = line == null ? null : line.waiting().poll();
        size -= waiter == null ? 0 : 1;
        return waiter;
    }

    /** How many of the tenant's requests wait. */
    public int size(String tenant) {
        Line<W> line = lines.get(tenant);
        return line == null ? 0 : line.waiting().size();
    }

    /** How many tenants have requests waiting and are not among {@code counted}'s keys (none: every such tenant). */
    public int tenantsBesides(Map<String, ?> counted) {
        int tenants = 0;
        for (Map.Entry<String, Line<W>> line : lines.entrySet()) {
            tenants += line.getValue().waiting().isEmpty() || counted.containsKey(line.getKey()) ? 0 : 1;
        }
        return tenants;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The backlog of every tenant with waiters, in first-arrival order; drops idle tenants. */
    public List<Demand> demands() {
        lines.values().removeIf(line -> line.waiting().isEmpty());
        List<Demand> demands = new ArrayList<>(lines.size());
        for (Line<W> line : lines.values()) {
            Tenant tenant = line.tenant();
            int cap = tenant.capPerSecond().orElse(-1);
            demands.add(new Demand(tenant.id().value(), line.waiting().size(), tenant.weight(), cap));
        }
        return demands;
    }

    /** All waiters, oldest first per tenant. */
    public List<W> all() {
        List<W> all = new ArrayList<>(size);
        lines.values().forEach(line -> all.addAll(line.waiting()));
        return all;
    }
}
