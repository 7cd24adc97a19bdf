package io.payegress.filters.budget;

import java.time.Duration;

/**
 * A granted budget token: how it was granted, how long the request waited for it, and its slot in local time
 * ({@code System.nanoTime()} scale) as bounds: the earliest time it can be, against which the request's lateness is
 * checked, and the latest, before which the request must not leave; and the slot as the store logged it, given back
 * when the request does not leave on it.
 */
public record BudgetPermit(
        BudgetMetrics.Outcome outcome, Duration waited, long slotNanos, long notBeforeNanos, GrantedSlot slot) {}
