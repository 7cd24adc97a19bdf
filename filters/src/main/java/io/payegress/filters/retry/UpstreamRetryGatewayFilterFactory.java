package io.payegress.filters.retry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * YAML {@code UpstreamRetry}: sets the request deadline and retries connect failures, timeouts, 5xx and
 * SYSTEM_ERROR with the same body; each attempt passes budget and signing again.
 */
public final class UpstreamRetryGatewayFilterFactory
        extends AbstractGatewayFilterFactory<UpstreamRetryGatewayFilterFactory.Config> {

    private final Clock clock;

    public UpstreamRetryGatewayFilterFactory(Clock clock) {
        super(Config.class);
        this.clock = clock;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("deadline", "maxAttempts");
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new UpstreamRetryFilter(
                new RetrySettings(
                        config.getDeadline(),
                        config.getMaxAttempts(),
                        config.getFirstBackoff(),
                        config.getMaxBackoff()),
                clock);
    }

    /** Route settings: deadline 8s, max-attempts 3, first-backoff 100ms, max-backoff 1s. */
    public static final class Config {
        private Duration deadline = Duration.ofSeconds(8);
        private int maxAttempts = 3;
        private Duration firstBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(1);

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getFirstBackoff() {
            return firstBackoff;
        }

        public void setFirstBackoff(Duration firstBackoff) {
            this.firstBackoff = firstBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }
}
