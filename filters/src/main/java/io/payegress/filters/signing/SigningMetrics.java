package io.payegress.filters.signing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The signing stage's meters: the time requests waited for a signing thread, the requests refused a signature by
 * reason ({@code full}, {@code behind}, {@code stale}), and the requests pending in the backlog.
 */
public final class SigningMetrics {

    static final String QUEUE = "payegress.signing.queue";
    static final String SHED = "payegress.signing.shed";
    static final String PENDING = "payegress.signing.pending";

    private final Timer queue;
    private final Map<SigningBacklog.Refusal, Counter> shed = new EnumMap<>(SigningBacklog.Refusal.class);

    public SigningMetrics(MeterRegistry registry, SigningBacklog backlog) {
        this.queue = Timer.builder(QUEUE)
                .description("Time requests waited for a signing thread, refused stale ones included")
                .publishPercentileHistogram()
                .register(registry);
        for (SigningBacklog.Refusal reason : SigningBacklog.Refusal.values()) {
            shed.put(reason, shed(registry, reason));
        }
        Gauge.builder(PENDING, backlog, SigningBacklog::pending)
                .description(
                        "Places taken in the signing backlog: queued for or holding a signing thread, or taken at the door")
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
        shed.get(reason).increment();
    }
}
