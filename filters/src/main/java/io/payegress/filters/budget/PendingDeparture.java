package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Departed;

/** A departure waiting to be reported to the store that granted it, with that store's next call. */
record PendingDeparture(BudgetStore store, Departed departed) {}
