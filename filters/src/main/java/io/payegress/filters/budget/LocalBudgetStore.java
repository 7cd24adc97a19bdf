package io.payegress.filters.budget;

import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * A budget store in this replica's memory: the degraded mode's limiter (a share of the limit, no Redis) and the
 * reference the Redis script is tested against. Calls are serialized; each takes microseconds.
 */
public final class LocalBudgetStore implements BudgetStore {

    private final BudgetAllocator allocator;
    private final LongSupplier nanoTime;

    /**
     * A store granting {@code maxLimit} per window, nothing before {@code pause} has passed.
     *
     * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public LocalBudgetStore(
            BudgetSettings settings, int maxLimit, int floor, java.time.Duration pause, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        long now = nowMicros();
        this.allocator = new BudgetAllocator(settings, maxLimit, floor, now, now + pause.toNanos() / 1_000);
    }

    @Override
    public Mono<Allocation> allocate(Request request) {
        return Mono.fromSupplier(() -> {
            synchronized (allocator) {
                return allocator.allocate(nowMicros(), request);
            }
        });
    }

    @Override
    public Mono<Double> throttled() {
        return Mono.fromSupplier(() -> {
            synchronized (allocator) {
                return allocator.throttled(nowMicros());
            }
        });
    }

    private long nowMicros() {
        return nanoTime.getAsLong() / 1_000;
    }
}
