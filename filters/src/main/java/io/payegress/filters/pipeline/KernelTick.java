package io.payegress.filters.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a TCP age the kernel reports can exceed the real one, learned from the ages this host reports. Linux keeps
 * a connection's times in jiffies (ticks of 1/HZ s: 10 ms at HZ=100, 4 ms at 250, 3.3 ms at 300, 1 ms at 1000) and
 * reports an age of n jiffies as n ticks in milliseconds rounded up; the real age is more than n - 1 ticks, so the
 * report exceeds it by less than one tick plus the rounding's millisecond. The smallest positive age ever reported is
 * at least one tick (n is at least one), so that age plus a millisecond bounds the excess, and the bound only falls
 * as smaller ages come. Until a positive age is seen, and never above, the coarsest tick: 10 ms (HZ=100, where the
 * division is exact). Thread-safe.
 */
final class KernelTick {

    /** One tick of the coarsest clock a Linux kernel keeps TCP times in (HZ=100). */
    static final long COARSEST_MILLIS = 10;

    private final AtomicLong allowanceMillis = new AtomicLong(COARSEST_MILLIS);

    /**
     * Takes one reported age and returns it as a lower bound on the real age, in nanoseconds: the age less the
     * allowance learned so far (this age included), never below 0.
     *
     * @param reportedMillis an age the kernel reported ({@code TCP_INFO}'s {@code tcpi_last_data_recv})
     */
    long atLeastNanos(long reportedMillis) {
        long allowance = allowanceMillis.get();
        if (reportedMillis > 0 && reportedMillis + 1 < allowance) {
            // written only when it falls (a few times per JVM): every answer and request reads it
            allowance = allowanceMillis.accumulateAndGet(reportedMillis + 1, Math::min);
        }
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, reportedMillis - allowance));
    }

    /** The most a reported age can exceed the real one, as learned so far. */
    long allowanceNanos() {
        return TimeUnit.MILLISECONDS.toNanos(allowanceMillis.get());
    }
}
