package io.payegress.filters.budget;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.server.ServerWebExchange;

/**
 * The requests one replica admitted per tenant that have not reached the budget stage yet (they are being signed):
 * the admission rule counts them with the tenant's queue, since each will wait there too. Without them a saturated
 * budget admits, signs and queues a tenant's requests that can only be refused after max-wait.
 */
final class OnTheWay {

    private static final String ATTRIBUTE = OnTheWay.class.getName();

    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** How many of the tenant's admitted requests are on their way to the budget stage. */
    int count(String tenant) {
        AtomicInteger count = counts.get(tenant);
        return count == null ? 0 : count.get();
    }

    /**
     * Counts the exchange's request as on its way for the tenant, until it {@link #arrived arrives} at the budget stage
     * or the returned ticket is run (the request ended before it), whichever comes first.
     */
    Runnable admit(ServerWebExchange exchange, String tenant) {
        AtomicInteger count = counts.computeIfAbsent(tenant, t -> new AtomicInteger());
        count.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Runnable ticket = () -> {
            if (done.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
        exchange.getAttributes().put(ATTRIBUTE, ticket);
        return ticket;
    }

    /** The exchange's request reached the budget stage: no longer on its way (nothing when it was not admitted). */
    static void arrived(ServerWebExchange exchange) {
        Runnable ticket = exchange.getAttribute(ATTRIBUTE);
        if (ticket != null) {
            ticket.run();
        }
    }
}
