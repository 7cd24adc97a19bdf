package io.payegress.filters.budget;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.MonoSink;

/** One request waiting for a budget token; exactly one of grant, timeout or cancel claims it. */
final class Waiter {

    final MonoSink<BudgetPermit> sink;
    final String route;
    final String tenant;
    final long enqueuedNanos;
    volatile Disposable timeout = Disposables.disposed();
    boolean deferred;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Waiter(MonoSink<BudgetPermit> sink, String route, String tenant, long enqueuedNanos) {
        this.sink = sink;
        this.route = route;
        this.tenant = tenant;
        this.enqueuedNanos = enqueuedNanos;
    }

    /** True for the one caller that may complete this waiter. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }
}
