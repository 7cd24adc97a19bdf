package io.payegress.filters.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The counters of one meter name with three tags, each registered once and kept by its tags' values: a counter
 * built and registered on every event (a {@code Meter.Id} and its tags made, then looked up in the registry) cost
 * about 1% of a replica's event loops when they refused most requests (docs/benchmarks.md, session 28).
 */
public final class KeptCounters {

    private record Key(String first, String second, String third) {
        // written out: a record's own hashCode and equals go through method handles, which C1, the image's only
        // compiler, does not inline; with them the lookup cost more than the registration it replaces
        @Override
        public int hashCode() {
            return (first.hashCode() * 31 + second.hashCode()) * 31 + third.hashCode();
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Key key
                    && key.first.equals(first)
                    && key.second.equals(second)
                    && key.third.equals(third);
        }
    }

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String firstTag;
    private final String secondTag;
    private final String thirdTag;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    public KeptCounters(
            MeterRegistry registry,
            String name,
            String description,
            String firstTag,
            String secondTag,
            String thirdTag) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.firstTag = firstTag;
        this.secondTag = secondTag;
        this.thirdTag = thirdTag;
    }

    /** The counter with these tag values, registered on first use. */
    public Counter get(String first, String second, String third) {
        Key key = new Key(first, second, third);
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key, this::register);
    }

    private Counter register(Key key) {
        return Counter.builder(name)
                .description(description)
                .tags(firstTag, key.first(), secondTag, key.second(), thirdTag, key.third())
                .register(registry);
    }
}
