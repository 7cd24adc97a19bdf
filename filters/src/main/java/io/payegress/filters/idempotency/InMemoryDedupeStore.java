package io.payegress.filters.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A per-process {@link DedupeStore} for the local run and as the fail-open fallback when Redis is down. TTLs follow
 * the injected clock; at most {@code maxEntries} records and as many attempt markers are kept (oldest dropped first),
 * so a long outage cannot exhaust memory. Each operation holds a lock for a few map operations only, never for I/O.
 */
public final class InMemoryDedupeStore implements DedupeStore {

    private final Clock clock;
    private final Map<String, Entry> entries;
    private final Map<String, Instant> attempts;

    private record Entry(
            Fingerprint fingerprint,
            @Nullable String owner,
            @Nullable StoredResponse response,
            Instant expiresAt,
            boolean prior) {}

    public InMemoryDedupeStore(Clock clock, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.clock = clock;
        this.entries = bounded(maxEntries);
        this.attempts = bounded(maxEntries);
    }

    private static <V> Map<String, V> bounded(int maxEntries) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Mono<ClaimOutcome> claim(
            DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
        return Mono.fromSupplier(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current == null) {
                    Instant now = clock.instant();
                    Instant marked = attempts.remove(key.attemptsKey());
                    boolean prior = marked != null && now.isBefore(marked);
                    attempts.put(key.attemptsKey(), now.plus(historyTtl));
                    entries.put(key.redisKey(), new Entry(fingerprint, ownerId, null, now.plus(inFlightTtl), prior));
                    return new ClaimOutcome.Claimed(prior);
                }
                return outcome(current);
            }
        });
    }

    @Override
    public Mono<Boolean> complete(DedupeKey key, String ownerId, StoredResponse response, Duration completedTtl) {
        return Mono.fromSupplier(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current == null || current.response() != null || !ownerId.equals(current.owner())) {
                    return false;
                }
                Instant expiry = clock.instant().plus(completedTtl);
                entries.put(key.redisKey(), new Entry(current.fingerprint(), null, response, expiry, false));
                attempts.remove(key.attemptsKey());
                return true;
            }
        });
    }

    @Override
    public Mono<Boolean> release(DedupeKey key, String ownerId, boolean attempted) {
        return Mono.fromSupplier(() -> {
            synchronized (entries) {
                Entry current = live(key);
                if (current == null || current.response() != null || !ownerId.equals(current.owner())) {
                    return false;
                }
                entries.remove(key.redisKey());
                if (!attempted && !current.prior()) {
                    attempts.remove(key.attemptsKey());
                }
                return true;
            }
        });
    }

    /** One process's memory: no other replica sees it, and it sees every attempt its replica makes. */
    @Override
    public boolean sharedByReplicas() {
        return false;
    }

    @Override
    public Mono<ClaimOutcome.Completed> await(DedupeKey key, Duration maxWait) {
        return CompletionPoller.poll(() -> peek(key), maxWait);
    }

    private Mono<ClaimOutcome> peek(DedupeKey key) {
        return Mono.fromSupplier(() -> {
            synchronized (entries) {
                Entry current = live(key);
                return current == null ? null : outcome(current);
            }
        });
    }

    private @Nullable Entry live(DedupeKey key) {
        Entry current = entries.get(key.redisKey());
        if (current != null && !clock.instant().isBefore(current.expiresAt())) {
            entries.remove(key.redisKey());
            return null;
        }
        return current;
    }

    private static ClaimOutcome outcome(Entry entry) {
        StoredResponse response = entry.response();
        return response == null
                ? new ClaimOutcome.InFlight(entry.fingerprint())
                : new ClaimOutcome.Completed(entry.fingerprint(), response);
    }
}
