package io.payegress.filters.door;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The gateway's request timer ({@code spring.cloud.gateway.requests} by default), which the gateway's metrics filter
 * records every answer of a route in, for the answers the door gives instead: the same name and the same tags (its
 * HTTP tags {@code outcome}, {@code status}, {@code httpStatusCode}, {@code httpMethod}, its route tags
 * {@code routeId}, {@code routeUri}, and the configured constant tags), so that dashboards and alerts over that timer
 * (the error ratio's denominator, answers by status) still count every answer. Thread-safe.
 */
public final class RequestsMetric {

    private final MeterRegistry registry;
    private final String name;
    private final Map<String, String> constantTags;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param name the timer's name: the gateway's metrics prefix and {@code .requests}
     * @param constantTags the gateway's configured metric tags ({@code spring.cloud.gateway.metrics.tags})
     */
    public RequestsMetric(MeterRegistry registry, String name, Map<String, String> constantTags) {
        this.registry = registry;
        this.name = name;
        this.constantTags = Map.copyOf(constantTags);
    }

    /** Records an answer of the route with the status, which took {@code nanos}. */
    void record(DoorRoute route, HttpStatusCode status, long nanos) {
        timers.computeIfAbsent(route.id() + ' ' + status.value(), key -> timer(route, status))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(DoorRoute route, HttpStatusCode code) {
        HttpStatus status = HttpStatus.resolve(code.value());
        Tags tags = Tags.of(
                "outcome", status == null ? "CUSTOM" : status.series().name(),
                "status", status == null ? "CUSTOM" : status.name(),
                "httpStatusCode", Integer.toString(code.value()),
                "httpMethod", route.method().name(),
                "routeId", route.id(),
                "routeUri", route.uri());
        for (Map.Entry<String, String> tag : constantTags.entrySet()) {
            tags = tags.and(tag.getKey(), tag.getValue());
        }
        return Timer.builder(name).tags(tags).register(registry);
    }
}
