package io.payegress.filters.signing;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import reactor.core.publisher.Mono;

/**
 * YAML {@code SigningAdmission=<deadline>}: refuses at once, before its body is read, validated or deduped, a request
 * that the replica's signing backlog could not sign before its deadline anyway ({@link SigningBacklog#hopeless}: the
 * requests pending ahead, at the backlog's measured drain pace, would leave it less than {@code min-time-left}). It
 * gets the signing stage's retryable {@code 503 SERVICE_UNAVAILABLE} with Retry-After, counted as {@code behind}; nothing
 * is recorded under its {@code use_request_no}. The same rule as the signing stage applies at arrival, applied where
 * refusing costs least: on a CPU-starved replica a request refused at signing had already cost a JSON parse, two Redis
 * calls and their threads' time, which the requests that can still be served then lack. For the same reason the
 * request's place in the backlog is reserved here ({@link SigningBacklog#reserve}): when {@code max-pending} places
 * are taken it is refused here as {@code full}, not after its body was read and its number claimed in Redis; the
 * place is freed when the request ends without reaching the signing stage.
 */
public final class SigningAdmissionGatewayFilterFactory
        extends AbstractGatewayFilterFactory<SigningAdmissionGatewayFilterFactory.Config> {

    /** The exchange attribute holding the request's {@link SigningBacklog.Reservation} until the signing stage. */
    static final String RESERVATION = SigningAdmissionGatewayFilterFactory.class.getName() + ".reservation";

    private final SigningBacklog backlog;
    private final SigningMetrics metrics;
    private final Clock clock;

    public SigningAdmissionGatewayFilterFactory(SigningBacklog backlog, MeterRegistry meters, Clock clock) {
        super(Config.class);
        this.backlog = backlog;
        this.metrics = new SigningMetrics(meters, backlog);
        this.clock = clock;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("deadline");
    }

    @Override
    public GatewayFilter apply(Config config) {
        Duration deadline = config.getDeadline();
        GatewayFilter filter = (exchange, chain) -> {
            PaymentExchange.reached(exchange, PipelineStage.SIGNING_ADMISSION);
            if (backlog.hopeless(clock.instant().plus(deadline))) {
                return Mono.error(WeChatPaySignFilter.refused(metrics, SigningBacklog.Refusal.BEHIND));
            }
            SigningBacklog.Reservation reservation = backlog.reserve();
            if (reservation == null) {
                return Mono.error(WeChatPaySignFilter.refused(metrics, SigningBacklog.Refusal.FULL));
            }
            exchange.getAttributes().put(RESERVATION, reservation);
            // deferred, so that the place is freed even if the rest of the chain fails before it returns a Mono
            return Mono.defer(() -> chain.filter(exchange)).doFinally(signal -> reservation.release());
        };
        return new OrderedGatewayFilter(filter, PipelineStage.SIGNING_ADMISSION.order());
    }

    /** The route's argument: the request deadline its retry stage will set (the same {@code deadline}). */
    public static final class Config {

        private Duration deadline = Duration.ofSeconds(8);

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }
    }
}
