/**
 * The shared upstream budget, both its stages ({@code Budget} and the shedding {@code BudgetAdmission} in YAML):
 * one sliding-window limit per upstream API and merchant, shared by all tenants and replicas through one Redis
 * script, split max-min fairly by tenant weight, with a fair wait queue, 429 feedback, grants given back when
 * unused, and a per-replica fallback share when Redis is lost. The allocation logic is plain Java, held to the
 * script by one store contract.
 *
 * <p>Documentation: {@code docs/stages/budget.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.budget;

import org.jspecify.annotations.NullMarked;
