package io.payegress.filters.budget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sliding-window grant log, in memory: grant times in ascending order with the tenant each went to. A new grant
 * takes the earliest slot that keeps at most {@code limit} grants in any window, i.e. no earlier than the grant
 * {@code limit} places back plus the window. The Redis script keeps the same log in a list.
 */
public final class GrantLog {

    private record Entry(long atMicros, String tenant) {}

    private final long windowMicros;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private int head;

    public GrantLog(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /** Forgets grants that no window from {@code nowMicros} on can contain. */
    public void trim(long nowMicros) {
        while (head < entries.size() && entries.get(head).atMicros() <= nowMicros - windowMicros) {
            counts.computeIfPresent(entries.get(head).tenant(), (tenant, count) -> count > 1 ? count - 1 : null);
            head++;
        }
        if (head > 1024 && head * 2 > entries.size()) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    /** The earliest time at or after {@code notBeforeMicros} a new grant may take under this limit. */
    public long nextSlot(long notBeforeMicros, int limit) {
        int size = size();
        long slot = notBeforeMicros;
        if (size > 0) {
            slot = Math.max(slot, entries.get(entries.size() - 1).atMicros());
        }
        if (size >= limit) {
            slot = Math.max(slot, entries.get(entries.size() - limit).atMicros() + windowMicros);
        }
        return slot;
    }

    /** Records a grant; slots must be taken in ascending order. */
    public void record(long atMicros, String tenant) {
        entries.add(new Entry(atMicros, tenant));
        if (!tenant.isEmpty()) {
            counts.merge(tenant, 1, Integer::sum);
        }
    }

    /**
     * Takes a grant given back unused out of the log; false when no grant of the tenant is at that time (it has left
     * every window already).
     */
    public boolean remove(long atMicros, String tenant) {
        for (int i = entries.size() - 1; i >= head && entries.get(i).atMicros() >= atMicros; i--) {
            Entry entry = entries.get(i);
            if (entry.atMicros() == atMicros && entry.tenant().equals(tenant)) {
                entries.remove(i);
                if (!tenant.isEmpty()) {
                    counts.computeIfPresent(tenant, (t, count) -> count > 1 ? count - 1 : null);
                }
                return true;
            }
        }
        return false;
    }

    /** The time of the latest grant in the log, {@code Long.MIN_VALUE} when it is empty. */
    public long last() {
        return size() == 0 ? Long.MIN_VALUE : entries.get(entries.size() - 1).atMicros();
    }

    /** Grants in the log (the current window and reserved future slots). */
    public int size() {
        return entries.size() - head;
    }

    /** Grants in the log that went to this tenant. */
    public int count(String tenant) {
        return counts.getOrDefault(tenant, 0);
    }

    /**
     * Per tenant, the grants that leave every window by {@code cutoffMicros}; fair shares count only the rest,
     * the grants still in the window at the end of the horizon.
     */
    public Map<String, Integer> expiringBy(long cutoffMicros) {
        Map<String, Integer> expiring = new HashMap<>();
        for (int i = head; i < entries.size() && entries.get(i).atMicros() <= cutoffMicros; i++) {
            if (!entries.get(i).tenant().isEmpty()) {
                expiring.merge(entries.get(i).tenant(), 1, Integer::sum);
            }
        }
        return expiring;
    }

    /** The tenants that have grants in the log. */
    public List<String> tenants() {
        return List.copyOf(counts.keySet());
    }
}
