package io.payegress.filters.budget;

import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.tenant.Tenant;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A permit's departure rule, for the forward stage: handed out the lead before its slot, the request holds until the
 * latest local time the slot can be, then leaves if its limiter still says it {@link BudgetLimiter#mayLeave may}.
 * Renewable when it knows what to ask for again (route, tenant, until when): a stale grant is given back and the
 * request asks again at the head of its tenant's queue.
 */
final class PermitDeparture implements Departure {

    /** What a renewal asks for. */
    record Renewal(String route, Tenant tenant, Instant until) {}

    private final BudgetLimiter limiter;
    private final BudgetPermit permit;
    private final LongSupplier nanoTime;
    private final @Nullable Renewal renewal;

    PermitDeparture(BudgetLimiter limiter, BudgetPermit permit, LongSupplier nanoTime, @Nullable Renewal renewal) {
        this.limiter = limiter;
        this.permit = permit;
        this.nanoTime = nanoTime;
        this.renewal = renewal;
    }

    @Override
    public boolean fresh() {
        return limiter.mayLeave(permit);
    }

    @Override
    public long holdNanos() {
        return Math.max(0, permit.notBeforeNanos() - nanoTime.getAsLong());
    }

    @Override
    public void leaving() {
        limiter.leaving(permit);
    }

    @Override
    public void written() {
        limiter.written(permit);
    }

    @Override
    public void answered(long ageNanos) {
        limiter.answered(permit, ageNanos);
    }

    @Override
    public void failed() {
        limiter.failed(permit);
    }

    /** The grant's id (trace lines join on it). */
    @Override
    public String toString() {
        return permit.slot().toString();
    }

    @Override
    public Mono<Departure> renewed() {
        Renewal again = renewal;
        if (again == null) {
            return Departure.super.renewed();
        }
        return Mono.defer(() -> limiter.renew(permit, again.route(), again.tenant(), again.until())
                .map(next -> new PermitDeparture(limiter, next, nanoTime, again)));
    }
}
