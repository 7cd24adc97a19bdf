package io.payegress.filters.budget;

import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * This replica's limiters, one per budget name (the first route that names a budget sets its settings), all on the
 * same store factory; the gateway creates one and closes it on shutdown.
 */
public final class BudgetLimiters implements AutoCloseable {

    private final Map<String, BudgetLimiter> limiters = new ConcurrentHashMap<>();
    private final Function<BudgetSettings, BudgetStore> stores;
    private final BudgetMetrics metrics;
    private final String replica;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    public BudgetLimiters(
            Function<BudgetSettings, BudgetStore> stores,
            MeterRegistry registry,
            String replica,
            LongSupplier nanoTime,
            Clock clock,
            Scheduler scheduler) {
        this(stores, registry, replica, nanoTime, clock, scheduler, false);
    }

    private BudgetLimiters(
            Function<BudgetSettings, BudgetStore> stores,
            MeterRegistry registry,
            String replica,
            LongSupplier nanoTime,
            Clock clock,
            Scheduler scheduler,
            boolean ownsScheduler) {
        this.ownsScheduler = ownsScheduler;
        this.stores = stores;
        this.metrics = new BudgetMetrics(registry);
        this.replica = replica;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * Limiters sharing their budgets through Redis for one merchant id ({@code redis} is a standalone or cluster
     * connection's {@code reactive()}), each Redis call bounded by {@code commandTimeout}; the replica gets a random
     * id. Their timers run on a thread of their own, made by {@code timerThread} (a daemon thread; the gateway gives
     * it its priority): on the shared parallel scheduler they queue behind every other timer and continuation of the
     * JVM, and a grant used too late is a grant wasted.
     */
    public static BudgetLimiters redis(
            RedisScriptingReactiveCommands<String, String> redis,
            String merchantId,
            MeterRegistry registry,
            Duration commandTimeout,
            ThreadFactory timerThread) {
        return new BudgetLimiters(
                settings -> new RedisBudgetStore(redis, merchantId, settings, commandTimeout),
                registry,
                UUID.randomUUID().toString(),
                System::nanoTime,
                Clock.systemUTC(),
                Schedulers.newSingle(timerThread),
                true);
    }

    /** The limiter of the budget named in the settings, created on first use. */
    public BudgetLimiter limiter(BudgetSettings settings) {
        return limiters.computeIfAbsent(
                settings.name(),
                name -> new BudgetLimiter(
                        settings, stores.apply(settings), replica, metrics, nanoTime, clock, scheduler));
    }

    /** The limiter of the named budget, once a route's Budget filter created it. */
    public Optional<BudgetLimiter> find(String name) {
        return Optional.ofNullable(limiters.get(name));
    }

    /** Every budget's health, for the gateway's health details. */
    public List<BudgetHealth> health() {
        return limiters.values().stream().map(BudgetLimiter::health).toList();
    }

    /** Closes every limiter and the timer thread it owns; idempotent (the gateway's shutdown and its bean both call). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        limiters.values().forEach(BudgetLimiter::close);
        if (ownsScheduler) {
            scheduler.dispose();
        }
    }
}
