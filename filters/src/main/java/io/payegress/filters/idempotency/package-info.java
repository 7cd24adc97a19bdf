/**
 * Idempotent dedupe of {@code use_request_no}: the store port with its Redis and in-memory adapters, and the gateway
 * filter that claims, replays, coalesces and releases keys.
 */
@NullMarked
package io.payegress.filters.idempotency;

import org.jspecify.annotations.NullMarked;
