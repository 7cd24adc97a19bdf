package io.payegress.filters.budget;

import io.payegress.filters.tenant.Tenant;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.MonoSink;

/** One request waiting for a budget token; exactly one of grant, timeout or cancel claims it. */
final class Waiter {

    final MonoSink<BudgetPermit> sink;
    final String route;
    final Tenant tenant;
    final long enqueuedNanos;
    /** When its deadline falls on the monotonic clock (Long.MAX_VALUE without one). */
    final long deadlineNanos;

    volatile Disposable timeout = Disposables.disposed();
    boolean deferred;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Waiter(MonoSink<BudgetPermit> sink, String route, Tenant tenant, long enqueuedNanos, long deadlineNanos) {
        this.sink = sink;
        this.route = route;
        this.tenant = tenant;
        this.enqueuedNanos = enqueuedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    String tenantId() {
        return tenant.id().value();
    }

    boolean isClaimed() {
        return claimed.get();
    }

    /** True for the one caller that may complete this waiter. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }
}
