/** Statistics of the simulator (counters, exact sliding-window maxima, recent rates) and its log of recorded requests. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.stats;
