package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetHealth.Mode;
import io.payegress.filters.budget.BudgetStore.Request;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One limiter's heartbeat, every {@link BudgetSettings#heartbeat} period: while shared, a call when the dispatcher
 * has been quiet for a period, so that the store keeps counting this replica live; while degraded, a probe asking
 * Redis whether it is back.
 */
final class Heartbeat {

    /** How often, at most, a degraded budget logs why its probe of Redis failed. */
    static final Duration PROBE_FAILURE_LOGGED_EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final BudgetSettings settings;
    private final BudgetStore shared;
    private final String replica;
    private final BudgetMetrics metrics;
    private final LongSupplier nanoTime;
    private final DispatchState state;
    private final RedisLoss redisLoss;
    private final StoreDispatcher dispatcher;
    private volatile long probeFailureLoggedNanos;

    Heartbeat(
            BudgetSettings settings,
            BudgetStore shared,
            String replica,
            BudgetMetrics metrics,
            LongSupplier nanoTime,
            DispatchState state,
            RedisLoss redisLoss,
            StoreDispatcher dispatcher) {
        this.settings = settings;
        this.shared = shared;
        this.replica = replica;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.state = state;
        this.redisLoss = redisLoss;
        this.dispatcher = dispatcher;
    }

    /** One beat: degraded, probes Redis; shared and quiet for a period, makes a call anyway. */
    void beat() {
        boolean degraded;
        boolean quiet;
        synchronized (state) {
            degraded = state.mode == Mode.DEGRADED;
            quiet = nanoTime.getAsLong() - state.lastCallNanos
                    >= settings.heartbeat().toNanos();
        }
        if (degraded) {
            probe();
        } else if (quiet) {
            dispatcher.dispatch(true);
        }
    }

    /**
     * Asks Redis whether it is back, carrying this replica's local grants that may still be in a window into the
     * shared log, and saying how many replicas shared the limit and what share it took, for a store that lost its
     * state (see {@link Request#members}); the grants made while the probe was in flight go with the next shared
     * call.
     */
    private void probe() {
        Request probe;
        synchronized (state) {
            int carried = redisLoss.carriedOnReturn();
            probe = Request.probe(replica, carried, state.degradedMembers, state.degradedShare);
        }
        shared.allocate(probe)
                .subscribe(
                        allocation -> {
                            metrics.roundTrip(settings.name(), dispatcher.storeName(shared), true);
                            synchronized (state) {
                                redisLoss.returned(allocation, probe.carried());
                            }
                            dispatcher.dispatch(false);
                        },
                        e -> {
                            metrics.roundTrip(settings.name(), dispatcher.storeName(shared), false);
                            logProbeFailure(e);
                        });
    }

    /**
     * Says why a probe failed, at most every {@link #PROBE_FAILURE_LOGGED_EVERY}: a replica that stays degraded while
     * Redis answers the others has its share held out of the limit, and the reason is what an operator needs.
     */
    private void logProbeFailure(Throwable e) {
        long now = nanoTime.getAsLong();
        long last = probeFailureLoggedNanos;
        if (last != 0 && now - last < PROBE_FAILURE_LOGGED_EVERY.toNanos()) {
            return;
        }
        probeFailureLoggedNanos = now;
        log.warn(
                "budget {}: still degraded, Redis probe failed (connected: {}): {}",
                settings.name(),
                shared.connected(),
                e.toString());
    }
}
