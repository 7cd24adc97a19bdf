package io.payegress.filters.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payegress.filters.pipeline.KeptCounters;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The budget's meters: decisions per route, tenant and outcome, the time requests waited, the effective limit and
 * mode per budget, Redis round trips, wasted grants and degradations.
 */
public final class BudgetMetrics {

    /** How a request left the budget stage. */
    public enum Outcome {
        /** Granted on the first ask, without waiting for a later slot. */
        ADMITTED,
        /** Granted after waiting in the fair queue. */
        WAITED,
        /** Refused with 429 after the bounded wait. */
        REJECTED,
        /** Granted by the local fallback share while Redis was unreachable. */
        DEGRADED,
        /** Refused with 429 at once, before signing: the tenant's queue already held what the budget could grant. */
        SHED,
        /**
         * Refused with 503 at its deadline: it waited past max-wait on this replica's own slowness while the limit had
         * room, and its deadline came first.
         */
        EXPIRED
    }

    private final MeterRegistry registry;
    private final KeptCounters decisions;
    /** The wait timers per route, kept for the reason {@link KeptCounters} gives; the timers below per budget. */
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();

    private final Map<String, Timer> grantLags = new ConcurrentHashMap<>();
    private final Map<SlotTo, Map<String, Timer>> slotTo = new EnumMap<>(SlotTo.class);
    private final Map<String, Timer> roundTrips = new ConcurrentHashMap<>();
    private final Map<String, Timer> uncertainties = new ConcurrentHashMap<>();

    public BudgetMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.decisions = new KeptCounters(
                registry,
                "payegress.budget.decisions",
                "Budget decisions per route, tenant and outcome",
                "route",
                "tenant",
                "outcome");
        for (SlotTo event : SlotTo.values()) {
            slotTo.put(event, new ConcurrentHashMap<>());
        }
    }

    void decision(String route, String tenant, Outcome outcome, Duration waited) {
        count(route, tenant, outcome);
        Timer timer = waits.get(route);
        if (timer == null) {
            timer = waits.computeIfAbsent(route, this::waitTimer);
        }
        timer.record(waited);
    }

    private Timer waitTimer(String route) {
        return Timer.builder("payegress.budget.wait")
                .description("Time requests waited for a budget token, intended waiting included")
                .tags("route", route)
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Counts a decision that involved no waiting at all (a shed request), so the wait histogram is not skewed. */
    void count(String route, String tenant, Outcome outcome) {
        decisions.get(route, tenant, outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    void roundTrip(String budget, String store, boolean ok) {
        Counter.builder("payegress.budget.redis.roundtrips")
                .description("Calls to the budget store")
                .tags("budget", budget, "store", store, "result", ok ? "ok" : "error")
                .register(registry)
                .increment();
    }

    /** What a used grant's request reached after its slot (the timer {@code payegress.budget.slot.to.<event>}). */
    enum SlotTo {
        DEPARTURE,
        ANSWER,
        FAILURE
    }

    /** Why a grant was not used. */
    enum Waste {
        /** No waiter of the granted tenant was queued when the answer arrived. */
        NO_WAITER,
        /** The grant's waiter timed out or was cancelled while the grant was pending. */
        GONE,
        /** The grant came later than the late tolerance after its earliest possible slot. */
        LATE,
        /** The request was ready to leave later than the late tolerance after its slot. */
        LATE_DEPARTURE
    }

    void wastedGrant(String budget, Waste reason) {
        Counter.builder("payegress.budget.wasted.grants")
                .description("Grants that were not used, per reason")
                .tags("budget", budget, "reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** A grant given back unused to the store that granted it (with the next call), so it stops counting. */
    void refunded(String budget) {
        Counter.builder("payegress.budget.refunded.grants")
                .description("Unused grants given back to the store, so that they stop counting against the limit")
                .tags("budget", budget)
                .register(registry)
                .increment();
    }

    /**
     * A request still waiting at max-wait while the store had not said the limit was full for it (full, or its tenant
     * offering no more than its share): it waits on until its deadline instead of being refused.
     */
    void extended(String budget) {
        Counter.builder("payegress.budget.extended.waits")
                .description("Requests that waited past max-wait while the limit had room for their tenant's share")
                .tags("budget", budget)
                .register(registry)
                .increment();
    }

    /**
     * An answer that came later after its departure than usual by more than the margin allows for the way there: its
     * grant counts from the answer, later than its departure's count said.
     */
    void lateAnswer(String budget) {
        Counter.builder("payegress.budget.late.answers")
                .description("Answers later than usual by more than the margin allows: their grants count from them")
                .tags("budget", budget)
                .register(registry)
                .increment();
    }

    /** How long after its earliest possible slot a grant was handed to its request (or found late). */
    void grantLag(String budget, Duration lag) {
        kept(
                        grantLags,
                        budget,
                        b -> Timer.builder("payegress.budget.grant.lag")
                                .description("Time from a grant's earliest possible slot to its use")
                                .tags("budget", b)
                                .register(registry))
                .record(lag);
    }

    /**
     * How long after its slot a grant's request left, and, once WeChat answered it, how long after its slot the answer
     * came: with the window's second, what a used grant counts against the limit (the departure's count, or the
     * answer's when that is sooner).
     */
    void usedGrant(String budget, SlotTo event, Duration sinceSlot) {
        kept(slotTo.get(event), budget, b -> usedGrantTimer(b, event)).record(sinceSlot);
    }

    private Timer usedGrantTimer(String budget, SlotTo event) {
        String name = event.name().toLowerCase(Locale.ROOT);
        return Timer.builder("payegress.budget.slot.to." + name)
                .description("Time from a used grant's slot to its request's " + name)
                .tags("budget", budget)
                .register(registry);
    }

    /** The time from sending an allocation call to handling its answer. */
    void roundTripTime(String budget, Duration time) {
        kept(
                        roundTrips,
                        budget,
                        b -> Timer.builder("payegress.budget.redis.latency")
                                .description("Time from sending an allocation call to handling its answer")
                                .tags("budget", b)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(time);
    }

    /** The width of the bounds on the store clock's offset after a call: how uncertain a grant's local slot is. */
    void clockUncertainty(String budget, Duration width) {
        kept(
                        uncertainties,
                        budget,
                        b -> Timer.builder("payegress.budget.clock.uncertainty")
                                .description(
                                        "Width of the bounds on the budget store clock's offset from the local clock")
                                .tags("budget", b)
                                .register(registry))
                .record(width);
    }

    /** The timer kept for this budget, registered on first use. */
    private static Timer kept(Map<String, Timer> timers, String budget, Function<String, Timer> register) {
        Timer timer = timers.get(budget);
        return timer != null ? timer : timers.computeIfAbsent(budget, register);
    }

    void gauges(BudgetLimiter limiter) {
        String budget = limiter.health().budget();
        Gauge.builder(
                        "payegress.budget.effective.limit",
                        limiter,
                        l -> l.health().effectiveLimit())
                .description("The effective limit per second after 429 feedback (the local share when degraded)")
                .tags("budget", budget)
                .register(registry);
        Gauge.builder("payegress.budget.mode", limiter, l -> l.health().mode() == BudgetHealth.Mode.SHARED ? 1 : 0)
                .description("1 when the budget is shared through Redis, 0 when degraded to a local share")
                .tags("budget", budget)
                .register(registry);
        FunctionCounter.builder(
                        "payegress.budget.degradations",
                        limiter,
                        l -> l.health().degradations())
                .description("How often the budget fell back to its local share")
                .tags("budget", budget)
                .register(registry);
    }
}
