/**
 * Reconciliation of ambiguous redemptions: when an attempt with a use_request_no may have redeemed the coupon without
 * WeChat Pay saying so, its later answer RESOURCE_ALREADY_EXISTS, and an outcome left unknown at the deadline, are
 * checked with WeChat Pay's coupon query. The rules are plain Java ({@link io.payegress.filters.reconciliation.ReconciliationRules});
 * the query client signs, budgets, sends and verifies; the filter and the late reconciler act on what it finds.
 *
 * <p>Documentation: {@code docs/reconciliation.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.reconciliation;

import org.jspecify.annotations.NullMarked;
