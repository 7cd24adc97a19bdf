package io.payegress.gateway.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payegress.state.*}: where the replicas keep their shared state.
 *
 * @param store {@code redis} (production: shared by all replicas) or {@code in-memory} (one replica, the local run)
 * @param commandTimeout how long one Redis command may take before it counts as a store failure
 * @param dedupeTimeout how long a dedupe command may take before the stage's failure policy takes over (at least
 *     {@code commandTimeout}): longer, because a dedupe call that times out over a live connection (on a replica
 *     stopped by its collector or starved of CPU, its answer already waiting in the socket) would otherwise send the
 *     request on under the local fallback, unseen by the other replicas
 */
@ConfigurationProperties("payegress.state")
public record StateProperties(
        @DefaultValue("redis") Store store,
        @DefaultValue("500ms") Duration commandTimeout,
        @DefaultValue("2s") Duration dedupeTimeout) {

    /** The dedupe commands' timeout: {@code dedupeTimeout}, never shorter than {@code commandTimeout}. */
    public Duration effectiveDedupeTimeout() {
        return dedupeTimeout.compareTo(commandTimeout) > 0 ? dedupeTimeout : commandTimeout;
    }

    /** The kinds of store. */
    public enum Store {
        REDIS,
        IN_MEMORY
    }
}
