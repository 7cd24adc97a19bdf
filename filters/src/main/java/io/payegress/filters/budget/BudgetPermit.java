package io.payegress.filters.budget;

import java.time.Duration;

/**
 * A granted budget token: how it was granted, how long the request waited for it, and the earliest local time
 * ({@code System.nanoTime()} scale) its slot can have been, against which the request's departure is checked.
 */
public record BudgetPermit(BudgetMetrics.Outcome outcome, Duration waited, long slotNanos) {}
