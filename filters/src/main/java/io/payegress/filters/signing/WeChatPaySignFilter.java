package io.payegress.filters.signing;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Signs the exact body bytes the forward stage will send, over the request's raw path and query. RSA signing
 * costs about 0.65 ms of CPU, so it runs on the signing scheduler rather than on an event-loop thread, and so does
 * the key source's check for a rotated key file. The {@link SigningBacklog} bounds that scheduler's queue: at arrival
 * by {@code max-pending}, and when a signing thread picks the request up by the time left before the deadline the
 * retry stage set ({@link PaymentExchange#deadline}), which must be at least {@code min-time-left}; an arrival whose
 * turn would come too late at the measured pace ({@link SigningBacklog#hopeless}) is refused at once. The first attempt
 * arrives on the place its signing admission reserved; a retry takes a place of its own. A request refused
 * by it gets a retryable {@code 503 SERVICE_UNAVAILABLE} with Retry-After, and is never signed.
 */
public final class WeChatPaySignFilter implements GatewayFilter, Ordered {

    private static final byte[] EMPTY = new byte[0];
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final MerchantKeySource keys;
    private final RequestSigner signer;
    private final Scheduler signingScheduler;
    private final SigningBacklog backlog;
    private final SigningMetrics metrics;

    public WeChatPaySignFilter(
            MerchantKeySource keys,
            RequestSigner signer,
            Scheduler signingScheduler,
            SigningBacklog backlog,
            SigningMetrics metrics) {
        this.keys = keys;
        this.signer = signer;
        this.signingScheduler = signingScheduler;
        this.backlog = backlog;
        this.metrics = metrics;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.SIGNING);
        byte[] body = PaymentExchange.body(exchange);
        byte[] bytes = body == null ? EMPTY : body;
        String method = exchange.getRequest().getMethod().name();
        String canonicalUrl = canonicalUrl(exchange.getRequest().getURI());
        return Mono.defer(() -> {
                    Instant deadline = PaymentExchange.deadline(exchange).orElse(null);
                    if (backlog.hopeless(deadline)) {
                        return Mono.error(refused(SigningBacklog.Refusal.BEHIND));
                    }
                    SigningBacklog.Reservation reserved =
                            exchange.getAttribute(SigningAdmissionGatewayFilterFactory.RESERVATION);
                    SigningBacklog.Place place =
                            reserved == null ? backlog.arrive(deadline) : reserved.arrive(deadline);
                    if (place == null) {
                        return Mono.error(refused(SigningBacklog.Refusal.FULL));
                    }
                    return Mono.fromCallable(() -> sign(place, method, canonicalUrl, bytes))
                            .subscribeOn(signingScheduler)
                            .doFinally(signal -> place.leave());
                })
                .flatMap(authorization -> {
                    PaymentExchange.signedAuthorization(exchange, authorization);
                    return chain.filter(exchange);
                });
    }

    /**
     * Runs on a signing thread: a request whose turn came too close to its deadline is refused before any RSA work.
     */
    private String sign(SigningBacklog.Place place, String method, String canonicalUrl, byte[] body) {
        SigningBacklog.Start start = place.start();
        metrics.queued(start.waited());
        if (start.stale()) {
            throw refused(SigningBacklog.Refusal.STALE);
        }
        return signer.authorization(keys.current(), method, canonicalUrl, body);
    }

    private GatewayRejection refused(SigningBacklog.Refusal reason) {
        return refused(metrics, reason);
    }

    /** The stage's refusal (503, retryable, Retry-After), counted by reason; also the signing admission's. */
    static GatewayRejection refused(SigningMetrics metrics, SigningBacklog.Refusal reason) {
        metrics.shed(reason);
        return new GatewayRejection(
                GatewayCode.SERVICE_UNAVAILABLE,
                "The gateway is too busy to sign the request now; retry the same request after Retry-After.",
                List.of(),
                RETRY_AFTER);
    }

    /** The raw (still encoded) path, plus "?" and the raw query when there is one. */
    public static String canonicalUrl(URI uri) {
        String query = uri.getRawQuery();
        return query == null ? uri.getRawPath() : uri.getRawPath() + "?" + query;
    }

    @Override
    public int getOrder() {
        return PipelineStage.SIGNING.order();
    }

    @Override
    public String toString() {
        return "WeChatPaySign(min-time-left " + backlog.settings().minTimeLeft() + ", max-pending "
                + backlog.settings().maxPending() + ")";
    }
}
