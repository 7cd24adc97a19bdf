package io.payegress.filters.idempotency;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.pipeline.Drain;
import java.time.Clock;
import java.time.Duration;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML {@code Idempotency}: dedupes {@code use_request_no} per merchant and route in the shared store, replaying
 * completed results. One per-replica in-memory fallback store serves every route whose policy is FAIL_OPEN_LOCAL, and
 * one memory of store failures every route: for {@code doubtAfterStoreFailure} after one, claims report the history
 * of their numbers as unknown. Unknown outcomes go to {@link LateOutcomes}; the replica's {@link Drain} cuts off what
 * still runs when it shuts down.
 */
public final class IdempotencyGatewayFilterFactory
        extends AbstractGatewayFilterFactory<IdempotencyGatewayFilterFactory.Config> {

    /** Records the per-replica fallback keeps at most during a store outage. */
    public static final int FALLBACK_MAX_ENTRIES = 100_000;

    private final DedupeStore store;
    private final DedupeStore fallback;
    private final MerchantErrorResponder responder;
    private final UseRequestNoReader reader;
    private final IdempotencyMetrics metrics;
    private final String merchantId;
    private final Clock clock;
    private final StoreDoubt doubt;
    private final LateOutcomes lateOutcomes;
    private final Drain drain;

    public IdempotencyGatewayFilterFactory(
            DedupeStore store,
            MerchantErrorResponder responder,
            MeterRegistry meters,
            JsonMapper json,
            Clock clock,
            String merchantId,
            LateOutcomes lateOutcomes,
            Duration doubtAfterStoreFailure,
            Drain drain) {
        super(Config.class);
        if (merchantId.isBlank() || merchantId.length() > DedupeKey.MAX_COMPONENT_LENGTH) {
            throw new IllegalArgumentException("merchant id must be 1 to 128 characters");
        }
        this.store = store;
        this.fallback = new InMemoryDedupeStore(clock, FALLBACK_MAX_ENTRIES);
        this.responder = responder;
        this.reader = new UseRequestNoReader(json);
        this.metrics = new IdempotencyMetrics(meters);
        this.merchantId = merchantId;
        this.clock = clock;
        this.doubt = new StoreDoubt(clock, doubtAfterStoreFailure);
        this.lateOutcomes = lateOutcomes;
        this.drain = drain;
    }

    @Override
    public GatewayFilter apply(Config config) {
        JsonPointer pointer = JsonPointer.compile(config.getKeyPointer());
        IdempotencySettings settings = new IdempotencySettings(
                pointer,
                config.getInFlightTtl(),
                config.getCompletedTtl(),
                config.getInFlightWait(),
                config.getFailurePolicy());
        DedupeKeyResolver keys = new DedupeKeyResolver(merchantId, pointer, reader);
        DedupeStage stage = new DedupeStage(settings, responder, metrics, doubt, lateOutcomes, drain);
        return new IdempotencyFilter(stage, keys, store, fallback, clock);
    }

    /**
     * Route settings: key-pointer /use_request_no, in-flight-ttl 30s (must exceed the route deadline), completed-ttl
     * 7d, in-flight-wait 2s, failure-policy FAIL_OPEN_LOCAL.
     */
    public static final class Config {
        private String keyPointer = "/use_request_no";
        private Duration inFlightTtl = Duration.ofSeconds(30);
        private Duration completedTtl = Duration.ofDays(7);
        private Duration inFlightWait = Duration.ofSeconds(2);
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN_LOCAL;

        public String getKeyPointer() {
            return keyPointer;
        }

        public void setKeyPointer(String keyPointer) {
            this.keyPointer = keyPointer;
        }

        public Duration getInFlightTtl() {
            return inFlightTtl;
        }

        public void setInFlightTtl(Duration inFlightTtl) {
            this.inFlightTtl = inFlightTtl;
        }

        public Duration getCompletedTtl() {
            return completedTtl;
        }

        public void setCompletedTtl(Duration completedTtl) {
            this.completedTtl = completedTtl;
        }

        public Duration getInFlightWait() {
            return inFlightWait;
        }

        public void setInFlightWait(Duration inFlightWait) {
            this.inFlightWait = inFlightWait;
        }

        public FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }
    }
}
