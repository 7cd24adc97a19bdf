package io.payegress.gateway.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payegress.state.*}: where the replicas keep their shared state.
 *
 * @param store {@code redis} (production: shared by all replicas) or {@code in-memory} (one replica, the local run)
 * @param commandTimeout how long one Redis command may take before it counts as a store failure
 */
@ConfigurationProperties("payegress.state")
public record StateProperties(
        @DefaultValue("redis") Store store,
        @DefaultValue("500ms") Duration commandTimeout) {

    /** The kinds of store. */
    public enum Store {
        REDIS,
        IN_MEMORY
    }
}
