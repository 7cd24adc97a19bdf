package io.payegress.filters.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The sliding-window grant log, in memory, the mirror of the Redis script's sorted set. Each grant counts against
 * the limit until its <em>expiry</em>: its slot plus its reach (the window, plus however late its replica may leave
 * after the slot), or, once its departure is reported, that departure plus the window, and once its answer is
 * reported, that answer plus the window (see {@link BudgetStore.Count}). A new grant may take slot
 * {@code s} while fewer than {@code limit} grants expire after {@code s}: every call that can arrive upstream within
 * one second of it does, so no sliding second holds more than {@code limit} calls. Grants are known by an id, which
 * gives a grant back or reports its departure.
 */
public final class GrantLog {

    private record Entry(long expiresMicros, long sequence, String id, String tenant) {}

    private static final Comparator<Entry> BY_EXPIRY =
            Comparator.comparingLong(Entry::expiresMicros).thenComparingLong(Entry::sequence);

    private final long windowMicros;
    private final TreeSet<Entry> entries = new TreeSet<>(BY_EXPIRY);
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private long sequence;

    public GrantLog(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /** Forgets grants that expire by {@code nowMicros}: no slot from now on is in a window with them. */
    public void trim(long nowMicros) {
        while (!entries.isEmpty() && entries.first().expiresMicros() <= nowMicros) {
            forget(entries.pollFirst());
        }
    }

    /**
     * The earliest time at or after {@code notBeforeMicros} a new grant may take under this limit: where fewer than
     * {@code limit} grants in the log expire later.
     */
    public long nextSlot(long notBeforeMicros, int limit) {
        if (limit <= 0) {
            return Long.MAX_VALUE;
        }
        if (entries.size() < limit) {
            return notBeforeMicros;
        }
        Iterator<Entry> latest = entries.descendingIterator();
        Entry kth = latest.next();
        for (int i = 1; i < limit; i++) {
            kth = latest.next();
        }
        return Math.max(notBeforeMicros, kth.expiresMicros());
    }

    /** Records a grant at {@code atMicros} that counts for one window; returns its id. */
    public String record(long atMicros, String tenant) {
        return record(atMicros, windowMicros, tenant);
    }

    /**
     * Records a grant at {@code atMicros} that counts until {@code reachMicros} after it (at least one window);
     * returns its id.
     */
    public String record(long atMicros, long reachMicros, String tenant) {
        long seq = ++sequence;
        String id = atMicros + "|" + seq + "|" + tenant;
        Entry entry = new Entry(atMicros + Math.max(windowMicros, reachMicros), seq, id, tenant);
        entries.add(entry);
        byId.put(id, entry);
        if (!tenant.isEmpty()) {
            counts.merge(tenant, 1, Integer::sum);
        }
        return id;
    }

    /**
     * Takes a grant given back unused out of the log; false when no grant has that id (it has left every window
     * already, or never was).
     */
    public boolean remove(String id) {
        Entry entry = byId.get(id);
        if (entry == null) {
            return false;
        }
        entries.remove(entry);
        forget(entry);
        return true;
    }

    /**
     * A grant whose request left at a known time: it counts until {@code untilMicros} as {@code count} says (at most,
     * exactly, or at least until then). A grant gone from the log (trimmed) comes back when it must count past
     * {@code nowMicros}.
     */
    public void departed(String id, long untilMicros, BudgetStore.Count count, long nowMicros) {
        Entry entry = byId.get(id);
        if (entry == null) {
            if (count != BudgetStore.Count.AT_MOST && untilMicros > nowMicros) {
                restore(id, untilMicros);
            }
            return;
        }
        boolean change = switch (count) {
            case AT_MOST -> untilMicros < entry.expiresMicros();
            case EXACTLY -> untilMicros != entry.expiresMicros();
            case AT_LEAST -> untilMicros > entry.expiresMicros();
        };
        if (!change) {
            return;
        }
        entries.remove(entry);
        Entry moved = new Entry(untilMicros, entry.sequence(), id, entry.tenant());
        entries.add(moved);
        byId.put(id, moved);
    }

    /** Puts back a trimmed grant (its id is "slot|sequence|tenant") to count until {@code untilMicros}. */
    private void restore(String id, long untilMicros) {
        String tenant = id.substring(id.indexOf('|', id.indexOf('|') + 1) + 1);
        Entry entry = new Entry(untilMicros, ++sequence, id, tenant);
        entries.add(entry);
        byId.put(id, entry);
        if (!tenant.isEmpty()) {
            counts.merge(tenant, 1, Integer::sum);
        }
    }

    /** The latest expiry in the log, {@code Long.MIN_VALUE} when it is empty. */
    public long lastExpiry() {
        return entries.isEmpty() ? Long.MIN_VALUE : entries.last().expiresMicros();
    }

    /** Grants in the log (the current window and reserved future slots). */
    public int size() {
        return entries.size();
    }

    /** Grants in the log that went to this tenant. */
    public int count(String tenant) {
        return counts.getOrDefault(tenant, 0);
    }

    /**
     * Per tenant, the grants that expire by {@code cutoffMicros}; fair shares count only the rest, the grants still
     * counting at the end of the horizon.
     */
    public Map<String, Integer> expiringBy(long cutoffMicros) {
        Map<String, Integer> expiring = new HashMap<>();
        for (Entry entry : entries) {
            if (entry.expiresMicros() > cutoffMicros) {
                break;
            }
            if (!entry.tenant().isEmpty()) {
                expiring.merge(entry.tenant(), 1, Integer::sum);
            }
        }
        return expiring;
    }

    /** The tenants that have grants in the log. */
    public List<String> tenants() {
        return new ArrayList<>(counts.keySet());
    }

    private void forget(@Nullable Entry entry) {
        if (entry == null) {
            return;
        }
        byId.remove(entry.id());
        if (!entry.tenant().isEmpty()) {
            counts.computeIfPresent(entry.tenant(), (t, count) -> count > 1 ? count - 1 : null);
        }
    }
}
