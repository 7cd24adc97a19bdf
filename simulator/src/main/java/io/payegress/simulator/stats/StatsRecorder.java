package io.payegress.simulator.stats;

import io.payegress.simulator.limit.SlidingWindowLimiter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Lock-free counters behind {@link SimulatorStats}; the window maxima come from the limiter itself, the longest pause
 * from the {@link PauseRecorder}.
 */
public final class StatsRecorder {

    private static final int RECENT_SECONDS = 10;

    private final SlidingWindowLimiter limiter;
    private final PauseRecorder pauses;
    /** Calls in each of the last 64 seconds. */
    private final TickerBuckets perSecond;
    /**
     * Accepted calls in 10 ms buckets over the last 300 s: a benchmark's use of the limit counted over exactly its run,
     * however late its own stats calls come (on a starved machine they came seconds late and counted the drain).
     */
    private final TickerBuckets accepted10ms;

    private final LongAdder totalCalls = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejectedByLimit = new LongAdder();
    private final LongAdder redemptions = new LongAdder();
    private final LongAdder returns = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder signatureFailures = new LongAdder();
    private final LongAdder verifiedSignatures = new LongAdder();
    private final LongAdder faultsInjected = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    public StatsRecorder(SlidingWindowLimiter limiter, PauseRecorder pauses, LongSupplier ticker) {
        this.limiter = limiter;
        this.pauses = pauses;
        this.perSecond = new TickerBuckets(ticker, 1_000_000_000L, 64);
        this.accepted10ms = new TickerBuckets(ticker, 10_000_000L, 30_000);
    }

    public void call() {
        totalCalls.increment();
        perSecond.increment();
    }

    /** A coupon query: not one of {@code totalCalls}, which counts the calls that change coupons. */
    public void query() {
        queries.increment();
    }

    public void signature(boolean verified) {
        (verified ? verifiedSignatures : signatureFailures).increment();
    }

    public void limit(boolean passed) {
        (passed ? accepted : rejectedByLimit).increment();
        if (passed) {
            accepted10ms.increment();
        }
    }

    /**
     * Calls the limit accepted between two instants of the ticker (System.nanoTime: one clock for every process of
     * the host), to 10 ms, within the last 300 s.
     */
    public long acceptedBetween(long fromNanos, long toNanos) {
        return accepted10ms.between(fromNanos, toNanos);
    }

    public void redemption() {
        redemptions.increment();
    }

    public void returned() {
        returns.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void fault() {
        faultsInjected.increment();
    }

    public void status(int status) {
        statuses.computeIfAbsent(status, code -> new LongAdder()).increment();
    }

    public SimulatorStats snapshot() {
        Map<Integer, Long> statusCounts = new TreeMap<>();
        statuses.forEach((status, count) -> statusCounts.put(status, count.sum()));
        return new SimulatorStats(
                totalCalls.sum(),
                accepted.sum(),
                rejectedByLimit.sum(),
                limiter.maxArrivalsInAnySecond(),
                limiter.maxAcceptedInAnySecond(),
                redemptions.sum(),
                returns.sum(),
                duplicates.sum(),
                signatureFailures.sum(),
                verifiedSignatures.sum(),
                faultsInjected.sum(),
                limiter.limit(),
                statusCounts,
                perSecond.last(RECENT_SECONDS),
                queries.sum(),
                pauses.count(),
                pauses.longestMillis(),
                limiter.firstOverLimitMillis());
    }

    /** Zeroes every counter, the longest pause and the limiter's window history. */
    public void reset() {
        for (LongAdder adder : new LongAdder[] {
            totalCalls,
            queries,
            accepted,
            rejectedByLimit,
            redemptions,
            returns,
            duplicates,
            signatureFailures,
            verifiedSignatures,
            faultsInjected
        }) {
            adder.reset();
        }
        statuses.clear();
        perSecond.clear();
        accepted10ms.clear();
        pauses.reset();
        limiter.reset();
    }
}
