package io.payegress.filters.budget;

import java.time.Duration;

/**
 * The settings of one budget, made once from the route's {@code Budget} arguments.
 *
 * @param name the budget's name, part of its Redis key (e.g. {@code coupons-use})
 * @param limit calls per second the upstream allows
 * @param maxWait how long a request may wait for a token before 429
 * @param safetyMargin added to the one-second window to absorb jitter between grant and arrival upstream
 * @param minLimit the floor of the effective limit under 429 feedback
 * @param recoveryPerSecond how fast the effective limit grows back after feedback
 * @param decreaseFactor what one 429 multiplies the effective limit by (at most once per window)
 * @param horizon how far ahead one call may reserve slots (batching); also how early before a slot the call for it is
 *     made, so it must exceed the lead plus a Redis round trip for the lead to take effect
 * @param dispatchInterval how often a replica with a backlog asks again
 * @param heartbeat how often a replica reports itself live and, when degraded, probes Redis
 * @param redisFailure what to do when Redis cannot be reached
 * @param lead how long before its slot a grant is handed to its request, so that the request reaches the socket
 *     by the slot; the forward stage holds it there until the slot (never earlier), then checks it is not stale
 * @param lateTolerance how late after its slot a request may still leave (at most the safety margin); the rest of the
 *     margin absorbs the jitter between leaving and arriving at WeChat
 */
public record BudgetSettings(
        String name,
        int limit,
        Duration maxWait,
        Duration safetyMargin,
        int minLimit,
        double recoveryPerSecond,
        double decreaseFactor,
        Duration horizon,
        Duration dispatchInterval,
        Duration heartbeat,
        RedisFailurePolicy redisFailure,
        Duration lead,
        Duration lateTolerance) {

    /** What a budget does while Redis is unreachable. */
    public enum RedisFailurePolicy {
        /** Each replica keeps its share of the limit: limit divided by the last known number of live replicas. */
        DEGRADE_TO_SHARE,
        /** Nothing is granted until Redis is back: requests wait, then get 429. */
        REJECT
    }

    public BudgetSettings {
        if (limit < 1 || minLimit < 1 || minLimit > limit) {
            throw new IllegalArgumentException("budget " + name + ": need 1 <= min-limit <= limit");
        }
        if (horizon.isNegative()
                || dispatchInterval.isZero()
                || heartbeat.isZero()
                || safetyMargin.isNegative()
                || lead.isNegative()) {
            throw new IllegalArgumentException("budget " + name + ": durations must be positive");
        }
        if (lateTolerance.isNegative() || lateTolerance.compareTo(safetyMargin) > 0) {
            throw new IllegalArgumentException("budget " + name + ": need 0 <= late-tolerance <= safety-margin");
        }
    }

    /** The default {@code lead}; chosen from the budget benchmark (docs/benchmarks.md). */
    public static final Duration DEFAULT_LEAD = Duration.ofMillis(50);

    /**
     * The default late tolerance for a safety margin: half of it, leaving half for the jitter between the socket and
     * WeChat's counter. The tolerance also has to hold the width of the bounds on the store's clock (a grant is held
     * until the latest local time its slot can be and judged from the earliest), which grows on a starved replica.
     */
    public static Duration defaultLateTolerance(Duration safetyMargin) {
        return safetyMargin.dividedBy(2);
    }

    /** Defaults for a budget with this name and limit. */
    public static BudgetSettings defaults(String name, int limit) {
        Duration margin = Duration.ofMillis(20);
        return new BudgetSettings(
                name,
                limit,
                Duration.ofMillis(250),
                margin,
                Math.max(1, limit / 10),
                Math.max(1, limit / 50.0),
                0.9,
                Duration.ofMillis(100),
                Duration.ofMillis(10),
                Duration.ofMillis(250),
                RedisFailurePolicy.DEGRADE_TO_SHARE,
                DEFAULT_LEAD,
                defaultLateTolerance(margin));
    }

    /** The sliding window grants are counted over: one second plus the safety margin. */
    public long windowMicros() {
        return 1_000_000L + safetyMargin.toNanos() / 1_000;
    }

    public long horizonMicros() {
        return horizon.toNanos() / 1_000;
    }

    /** How long a replica's reported backlog counts when it does not call again. */
    public long demandTtlMicros() {
        return 2 * heartbeat.toNanos() / 1_000;
    }

    /** How long a replica counts as live after its last call. */
    public long replicaTtlMicros() {
        return 4 * heartbeat.toNanos() / 1_000;
    }

    /**
     * How long a replica that degrades grants nothing locally: a replica TTL, a window and the horizon. The shared
     * store holds the share of a replica that stopped calling out of every grant that would count past the replica's
     * last call plus this pause (so while the replica may be degraded and granting locally), and a replica calls at
     * least every heartbeat while shared: its share is held only after it has been silent for about a replica TTL.
     */
    public long degradedPauseMicros() {
        return replicaTtlMicros() + windowMicros() + horizonMicros();
    }

    /**
     * How long, at most, the store holds the share of a replica that stopped calling out of the limit (it may be
     * degraded, granting its share locally): 120 heartbeats, 30 s by default, well past the longest a degraded replica
     * takes to come back once Redis answers (a reconnect, at most a second apart, then a probe each heartbeat). A
     * replica that left gracefully says so and is not held; one that crashed is held that long.
     */
    public long holdMicros() {
        return 120 * heartbeat.toNanos() / 1_000;
    }
}
