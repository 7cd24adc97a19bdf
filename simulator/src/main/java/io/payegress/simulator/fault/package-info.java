/** Fault injection: latency, error pages, resets and badly signed answers, before or after the state change. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.fault;
