/** The JSON admin API under /__sim/ that seeds data, sets faults and reads statistics. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.admin;
