package io.payegress.filters.idempotency;

import java.time.Clock;

class InMemoryIdempotencyFilterTest extends IdempotencyFilterBehaviour {

    private final InMemoryDedupeStore store = new InMemoryDedupeStore(Clock.systemUTC(), 1_000);

    @Override
    DedupeStore store() {
        return store;
    }
}
