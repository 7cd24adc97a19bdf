/** The shared state in Redis: client options that fail fast, the eviction-policy check, and the store selection. */
@NullMarked
package io.payegress.gateway.redis;

import org.jspecify.annotations.NullMarked;
