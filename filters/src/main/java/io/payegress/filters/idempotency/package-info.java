/**
 * The idempotency stage ({@code Idempotency} in YAML): dedupes {@code use_request_no} per merchant and route; the
 * store port with its Redis and in-memory adapters, and the filter that claims, replays, coalesces and releases
 * keys under a named Redis failure policy.
 *
 * <p>Documentation: {@code docs/stages/idempotency.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.idempotency;

import org.jspecify.annotations.NullMarked;
