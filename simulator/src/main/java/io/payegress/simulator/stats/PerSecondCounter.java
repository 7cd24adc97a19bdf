package io.payegress.simulator.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/** Counts calls per whole second of a nanosecond ticker in a small ring, for the last complete seconds. */
final class PerSecondCounter {

    private static final int SLOTS = 64;
    private static final long SECOND = 1_000_000_000L;

    private final LongSupplier ticker;
    private final long[] seconds = new long[SLOTS];
    private final long[] counts = new long[SLOTS];

    PerSecondCounter(LongSupplier ticker) {
        this.ticker = ticker;
        clear();
    }

    synchronized void increment() {
        long second = Math.floorDiv(ticker.getAsLong(), SECOND);
        int slot = (int) Math.floorMod(second, SLOTS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Calls in each of the last {@code n} complete seconds, oldest first. */
    synchronized List<Long> last(int n) {
        long current = Math.floorDiv(ticker.getAsLong(), SECOND);
        List<Long> result = new ArrayList<>(n);
        for (long second = current - n; second < current; second++) {
            int slot = (int) Math.floorMod(second, SLOTS);
            result.add(seconds[slot] == second ? counts[slot] : 0L);
        }
        return result;
    }

    synchronized void clear() {
        Arrays.fill(seconds, Long.MIN_VALUE);
        Arrays.fill(counts, 0);
    }
}
