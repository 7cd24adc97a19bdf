/**
 * The budget load tool: an open-loop load generator that drives running gateways at a fixed arrival rate with many
 * tenants and reports what the simulator and the gateways saw ({@code bench/budget.sh} starts the processes).
 */
@NullMarked
package io.payegress.gateway.bench;

import org.jspecify.annotations.NullMarked;
