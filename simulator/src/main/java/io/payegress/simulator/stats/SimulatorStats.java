package io.payegress.simulator.stats;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of what the simulator saw since start or the last reset. {@code totalCalls} counts every call to the
 * APIs that change coupons (coupons/use, coupons/return, and unknown paths), {@code queries} every coupon query;
 * {@code accepted} the calls that passed header, signature and limit checks; the two maxima are exact counts of
 * (accepted) arrivals in any sliding one-second window; {@code callsPerSecond} holds the last complete seconds,
 * oldest first; {@code collectorPauses} and {@code longestPauseMillis} are the simulator's own collector
 * pauses ({@link PauseRecorder}); {@code firstOverLimitMillis} is when the first sliding second holding more arrivals
 * than the limit ended, in milliseconds after the start or the last reset (-1: none did).
 */
public record SimulatorStats(
        long totalCalls,
        long accepted,
        long rejectedByLimit,
        int maxInAnySlidingSecond,
        int maxAcceptedInAnySlidingSecond,
        long redemptions,
        long returns,
        long duplicateUseRequestNo,
        long signatureFailures,
        long verifiedSignatures,
        long faultsInjected,
        int limitPerSecond,
        Map<Integer, Long> statusCounts,
        List<Long> callsPerSecond,
        long queries,
        long collectorPauses,
        long longestPauseMillis,
        long firstOverLimitMillis) {

    public SimulatorStats {
        statusCounts = Collections.unmodifiableMap(new TreeMap<>(statusCounts));
        callsPerSecond = List.copyOf(callsPerSecond);
    }

    /** How many answers had this HTTP status. */
    public long status(int status) {
        return statusCounts.getOrDefault(status, 0L);
    }
}
