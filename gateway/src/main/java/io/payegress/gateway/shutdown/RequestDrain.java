package io.payegress.gateway.shutdown;

import io.payegress.filters.pipeline.Drain;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs after the web server's graceful shutdown phase and before the server stops. When that phase ended with
 * requests still running (it waits at most {@code spring.lifecycle.timeout-per-shutdown-phase}), it begins the
 * {@link Drain}: each such request ends with a retryable answer and its use_request_no released, and this phase waits
 * up to {@link #ANSWERS_WRITTEN} for those answers to be written, instead of the server closing their connections.
 */
public final class RequestDrain implements SmartLifecycle {

    /** How long the cut-off requests get to release their keys and write their answers. */
    public static final Duration ANSWERS_WRITTEN = Duration.ofSeconds(5);

    /** After the graceful shutdown phase, before the web server stops. */
    static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(RequestDrain.class);

    private final Drain drain;
    private volatile boolean running;

    RequestDrain(Drain drain) {
        this.drain = drain;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        drain.begin();
        try {
            if (!drain.awaitFinished(ANSWERS_WRITTEN)) {
                log.warn("requests still running {} after the drain began; the web server stops now", ANSWERS_WRITTEN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
