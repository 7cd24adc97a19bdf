package io.payegress.simulator.fault;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The faults currently armed, in the order they were added. Each API call takes at most one LATENCY and one other
 * matching fault, using up one of its count; a fault with a probability below 1 hits a matching call only when a
 * draw from the plan's seeded random says so. Thread-safe.
 */
public final class FaultPlan {

    private final List<Armed> armed = new ArrayList<>();
    private final Random random;

    /** A plan whose probabilistic faults draw from a random seeded with {@code seed}. */
    public FaultPlan(long seed) {
        this.random = new Random(seed);
    }

    /** Arms a fault. */
    public synchronized FaultPlan add(FaultSpec spec) {
        armed.add(new Armed(spec, spec.count()));
        return this;
    }

    /** Disarms every fault. */
    public synchronized void clear() {
        armed.clear();
    }

    /** The armed faults with their remaining counts ({@link FaultSpec#UNTIL_CLEARED} for endless ones). */
    public synchronized List<FaultSpec> active() {
        List<FaultSpec> specs = new ArrayList<>();
        for (Armed fault : armed) {
            FaultSpec spec = fault.spec;
            specs.add(new FaultSpec(
                    spec.type(), spec.phase(), fault.remaining, spec.latencyMs(), spec.path(), spec.probability()));
        }
        return specs;
    }

    /** Takes the faults that hit a call to this path (consuming one of each one's count). */
    public synchronized Selection take(String path) {
        FaultSpec latency = takeFirst(path, true);
        FaultSpec answer = takeFirst(path, false);
        return new Selection(latency == null ? 0 : latency.latencyMs(), answer);
    }

    private @Nullable FaultSpec takeFirst(String path, boolean latency) {
        Iterator<Armed> iterator = armed.iterator();
        while (iterator.hasNext()) {
            Armed fault = iterator.next();
            if ((fault.spec.type() == FaultType.LATENCY) == latency
                    && fault.spec.matches(path)
                    && (fault.spec.probability() >= 1 || random.nextDouble() < fault.spec.probability())) {
                if (fault.remaining != FaultSpec.UNTIL_CLEARED && --fault.remaining == 0) {
                    iterator.remove();
                }
                return fault.spec;
            }
        }
        return null;
    }

    /** What a call got: a delay in milliseconds (0 for none) and at most one answering fault. */
    public record Selection(long latencyMs, @Nullable FaultSpec answer) {

        public static final Selection NONE = new Selection(0, null);
    }

    private static final class Armed {
        private final FaultSpec spec;
        private int remaining;

        private Armed(FaultSpec spec, int remaining) {
            this.spec = spec;
            this.remaining = remaining;
        }
    }
}
