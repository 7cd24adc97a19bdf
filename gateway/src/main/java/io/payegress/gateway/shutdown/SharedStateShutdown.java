package io.payegress.gateway.shutdown;

import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.pipeline.Drain;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs after the web server has stopped and before the Redis client closes (Lettuce's connection factory stops in
 * phase 0): waits up to {@link #RELEASES_LANDED} for the dedupe releases of requests whose connection the stop
 * closed, then stops the budget's heartbeat and dispatcher. Closed later, at bean destruction, the budget's timers
 * would call a closed client and degrade, and a release would be lost, its key held until the in-flight TTL.
 */
public final class SharedStateShutdown implements SmartLifecycle {

    /** Far above the Redis command timeout, which bounds each release. */
    static final Duration RELEASES_LANDED = Duration.ofSeconds(5);

    /** After the web server stops, before Redis and Reactor Netty's resources (phase 0). */
    static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(SharedStateShutdown.class);

    private final Drain drain;
    private final BudgetLimiters budgets;
    private volatile boolean running;

    SharedStateShutdown(Drain drain, BudgetLimiters budgets) {
        this.drain = drain;
        this.budgets = budgets;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            if (!drain.awaitFinished(RELEASES_LANDED)) {
                log.warn("dedupe releases still pending after {}; closing Redis anyway", RELEASES_LANDED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        budgets.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
