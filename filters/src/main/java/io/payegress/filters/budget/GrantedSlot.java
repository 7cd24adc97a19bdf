package io.payegress.filters.budget;

import io.payegress.filters.budget.BudgetStore.Refund;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One grant's slot as the store logged it, and the store that did: what a grant that goes unused gives back
 * ({@link Refund}) so that it stops counting against the limit. Given back at most once, and never once a request was
 * let go on it.
 */
public final class GrantedSlot {

    private final BudgetStore store;
    private final Refund refund;
    private final AtomicBoolean settled = new AtomicBoolean();

    GrantedSlot(BudgetStore store, Refund refund) {
        this.store = store;
        this.refund = refund;
    }

    BudgetStore store() {
        return store;
    }

    Refund refund() {
        return refund;
    }

    /** True for the one caller that settles the slot: used by a departure, or given back. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }
}
