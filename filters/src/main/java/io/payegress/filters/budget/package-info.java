/**
 * The shared upstream budget: one sliding-window limit per upstream API and merchant, shared by all tenants and
 * replicas through one Redis script, split max-min fairly by tenant weight, with a fair wait queue, 429 feedback and
 * a per-replica fallback share when Redis is lost.
 */
@NullMarked
package io.payegress.filters.budget;

import org.jspecify.annotations.NullMarked;
