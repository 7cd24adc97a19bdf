/** The simulator's strict sliding one-second rate limit and its exact window statistics. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.limit;
