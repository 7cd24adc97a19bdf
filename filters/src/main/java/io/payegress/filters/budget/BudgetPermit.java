package io.payegress.filters.budget;

import java.time.Duration;

/** A granted budget token: how it was granted and how long the request waited for it. */
public record BudgetPermit(BudgetMetrics.Outcome outcome, Duration waited) {}
