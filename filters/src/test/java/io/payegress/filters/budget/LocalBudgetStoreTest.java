package io.payegress.filters.budget;

import java.time.Duration;

class LocalBudgetStoreTest extends BudgetStoreContract {

    @Override
    BudgetStore store() {
        return new LocalBudgetStore(SETTINGS, SETTINGS.limit(), SETTINGS.minLimit(), Duration.ZERO, System::nanoTime);
    }
}
