package io.payegress.filters.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * This replica's memory of its last dedupe-store failure. For {@code horizon} after one, the shared records are not
 * trusted to show every earlier attempt of a number: while Redis was unreachable, attempts were made under local claims
 * that Redis never saw, and a restarted Redis may have lost its records.
 */
final class StoreDoubt {

    private final Clock clock;
    private final Duration horizon;
    private final AtomicReference<@Nullable Instant> lastFailure = new AtomicReference<>();

    StoreDoubt(Clock clock, Duration horizon) {
        if (horizon.isNegative()) {
            throw new IllegalArgumentException("the doubt horizon must not be negative");
        }
        this.clock = clock;
        this.horizon = horizon;
    }

    void storeFailed() {
        lastFailure.set(clock.instant());
    }

    /** Whether the store failed within the horizon. */
    boolean active() {
        Instant failed = lastFailure.get();
        return failed != null && clock.instant().isBefore(failed.plus(horizon));
    }
}
