package io.payegress.filters.signing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * The signing stage's meters: the time requests waited for a signing thread, the requests refused a signature by
 * reason ({@code full}, {@code stale}), and the requests pending in the backlog.
 */
public final class SigningMetrics {

    static final String QUEUE = "payegress.signing.queue";
    static final String SHED = "payegress.signing.shed";
    static final String PENDING = "payegress.signing.pending";

    private final Timer queue;
    private final Counter full;
    private final Counter stale;

    public SigningMetrics(MeterRegistry registry, SigningBacklog backlog) {
        this.queue = Timer.builder(QUEUE)
                .description("Time requests waited for a signing thread, refused stale ones included")
                .publishPercentileHistogram()
                .register(registry);
        this.full = shed(registry, SigningBacklog.Refusal.FULL);
        this.stale = shed(registry, SigningBacklog.Refusal.STALE);
        Gauge.builder(PENDING, backlog, SigningBacklog::pending)
                .description("Requests queued for a signing thread or being signed")
                .register(registry);
    }

    private static Counter shed(MeterRegistry registry, SigningBacklog.Refusal reason) {
        return Counter.builder(SHED)
                .description("Requests refused a signature (503), by reason")
                .tags("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    void queued(Duration waited) {
        queue.record(waited);
    }

    void shed(SigningBacklog.Refusal reason) {
        (reason == SigningBacklog.Refusal.FULL ? full : stale).increment();
    }
}
