package io.payegress.filters.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

class InMemoryDedupeStoreTest extends DedupeStoreContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);
    private final InMemoryDedupeStore store = new InMemoryDedupeStore(clock, 10_000);

    @Override
    DedupeStore store() {
        return store;
    }

    @Override
    void letExpire(DedupeKey key, Duration ttl) {
        clock.advance(ttl);
    }
}
