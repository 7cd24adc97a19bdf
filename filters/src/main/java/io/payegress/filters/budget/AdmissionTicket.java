package io.payegress.filters.budget;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.springframework.web.server.ServerWebExchange;

/**
 * A request admitted towards a budget and not yet granted: counted against its tenant by the admission rule from the
 * moment it passes the admission stage until its first grant or refusal comes, or it leaves the pipeline before that
 * (a refusal of another stage, a cancelled call). So the rule sees the requests still on their way to the queue (their
 * bodies being read and validated, their {@code use_request_no} claimed, or being signed), not only those already in
 * it. Closed once, by whoever comes first.
 */
public final class AdmissionTicket {

    private static final String ATTRIBUTE = AdmissionTicket.class.getName();

    private final String tenant;
    private final long admittedNanos;
    private final Consumer<String> release;
    private final LongConsumer asked;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean firstAsk = new AtomicBoolean(true);

    /**
     * A ticket of the tenant's request admitted at {@code admittedNanos}; {@code release} is told the tenant when it
     * closes, {@code asked} the admission time when the request first asks the budget.
     */
    AdmissionTicket(String tenant, long admittedNanos, Consumer<String> release, LongConsumer asked) {
        this.tenant = tenant;
        this.admittedNanos = admittedNanos;
        this.release = release;
        this.asked = asked;
    }

    /** Stops counting the request; later calls do nothing. */
    public void close() {
        if (open.compareAndSet(true, false)) {
            release.accept(tenant);
        }
    }

    /** Hands the ticket down the exchange to the budget stage. */
    void attach(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    /**
     * True once for a request that came through an admission stage: its first ask of the budget, which counted it
     * towards what its tenant offers already. A retry's ask (the retry stage runs after admission) is not.
     */
    static boolean firstAsk(ServerWebExchange exchange) {
        AdmissionTicket ticket = exchange.getAttribute(ATTRIBUTE);
        if (ticket == null || !ticket.firstAsk.compareAndSet(true, false)) {
            return false;
        }
        ticket.asked.accept(ticket.admittedNanos);
        return true;
    }

    /** Closes the exchange's ticket, if the request came through an admission stage. */
    static void close(ServerWebExchange exchange) {
        AdmissionTicket ticket = exchange.getAttribute(ATTRIBUTE);
        if (ticket != null) {
            ticket.close();
        }
    }
}
