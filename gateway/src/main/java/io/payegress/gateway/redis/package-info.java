/**
 * The shared state in Redis ({@code payegress.state}): the store selection (Redis or in memory), client options
 * that fail fast, the budgets' connection, the eviction-policy check and the shared-state health details.
 *
 * <p>Documentation: {@code docs/operations.md}, {@code docs/configuration.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.redis;

import org.jspecify.annotations.NullMarked;
