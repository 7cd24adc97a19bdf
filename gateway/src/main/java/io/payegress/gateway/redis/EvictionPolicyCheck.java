package io.payegress.gateway.redis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * At start, reads Redis's {@code maxmemory-policy}: any policy but {@code noeviction} may evict dedupe records
 * (every one has a TTL), which would let a resent use_request_no run again. Warns in the log and sets the gauge
 * {@code payegress_redis_eviction_unsafe} to 1, so the alert fires until Redis is fixed.
 */
public final class EvictionPolicyCheck {

    private static final Logger log = LoggerFactory.getLogger(EvictionPolicyCheck.class);

    private final ReactiveRedisConnectionFactory connections;
    private final AtomicInteger unsafe = new AtomicInteger();

    public EvictionPolicyCheck(ReactiveRedisConnectionFactory connections, MeterRegistry meters) {
        this.connections = connections;
        Gauge.builder("payegress_redis_eviction_unsafe", unsafe, AtomicInteger::get)
                .description("1 when Redis may evict keys (maxmemory-policy is not noeviction), -1 when unknown")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void check() {
        Mono.defer(() -> connections.getReactiveConnection().serverCommands().getConfig("maxmemory-policy"))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(Duration.ofSeconds(2))
                .subscribe(this::judge, error -> {
                    unsafe.set(-1);
                    log.warn(
                            "could not read Redis maxmemory-policy ({}); dedupe records may be evicted unnoticed",
                            error.getClass().getSimpleName());
                });
    }

    private void judge(Properties config) {
        String policy = config.getProperty("maxmemory-policy", config.getProperty("1", "unknown"));
        if ("noeviction".equals(policy)) {
            unsafe.set(0);
            return;
        }
        unsafe.set(1);
        log.warn(
                "Redis maxmemory-policy is '{}': dedupe records may be evicted and a resent use_request_no run "
                        + "again; set maxmemory-policy noeviction (and appendonly yes)",
                policy);
    }
}
