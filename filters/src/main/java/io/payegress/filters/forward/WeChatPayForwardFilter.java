package io.payegress.filters.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.pipeline.LateDeparture;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.pipeline.SocketReceipt;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.util.context.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * The innermost stage: sends the body bytes exactly as received, with only the headers WeChat needs (so no POS
 * credential, cookie or hop-by-hop header ever leaves), verifies a 2xx answer's signature before a single byte
 * reaches the POS, and writes it; any other ending is raised as an {@link UpstreamFailure}.
 */
public final class WeChatPayForwardFilter implements GatewayFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(WeChatPayForwardFilter.class);
    /**
     * At DEBUG, one line per request written to WeChat with its {@code System.nanoTime()} (one clock for every process
     * of a Linux host) and its signature's nonce: the budget benchmark counts departures in sliding seconds from it,
     * and joins them by nonce with the simulator's arrivals; and one as the budget is told it leaves, with its grant's
     * id, joined with the budget's counts of that grant. Off by default.
     */
    private static final Logger departures = LoggerFactory.getLogger("payegress.departures");

    private static final byte[] EMPTY = new byte[0];
    /**
     * The request's context key for the departure it left on, read when the request was written
     * ({@link HttpClient#doAfterRequest}) to tell it {@link Departure#written}.
     */
    private static final String LEFT = WeChatPayForwardFilter.class.getName() + ".left";

    private static final Pattern NONCE = Pattern.compile("nonce_str=\"([^\"]+)\"");

    private final HttpClient client;
    private final ForwardSettings settings;
    private final ResponseVerifier verifier;
    private final JsonMapper json;
    private final MeterRegistry meters;

    public WeChatPayForwardFilter(
            HttpClient client,
            ForwardSettings settings,
            ResponseVerifier verifier,
            JsonMapper json,
            MeterRegistry meters) {
        this.client = client.disableRetry(true)
                .doAfterRequest((request, connection) -> {
                    request.currentContextView()
                            .<AtomicReference<Departure>>getOrEmpty(LEFT)
                            .map(AtomicReference::get)
                            .ifPresent(Departure::written);
                    if (departures.isDebugEnabled()) {
                        departures.debug(
                                "departure {} {}",
                                System.nanoTime(),
                                nonce(request.requestHeaders().get("Authorization")));
                    }
                })
                .responseTimeout(settings.responseTimeout())
                .option(
                        ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(settings.connectTimeout().toMillis()));
        this.settings = settings;
        this.verifier = verifier;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.FORWARD);
        byte[] body = PaymentExchange.body(exchange);
        byte[] bytes = body == null ? EMPTY : body;
        String authorization = PaymentExchange.signedAuthorization(exchange)
                .orElseThrow(() -> new IllegalStateException("unsigned request: is WeChatPaySign on the route?"));
        Departure departure = PaymentExchange.departure(exchange).orElse(Departure.ANY_TIME);
        return Mono.defer(() -> departure.fresh() ? forward(exchange, authorization, bytes, departure) : late());
    }

    private static <T> Mono<T> late() {
        return Mono.error(new LateDeparture());
    }

    private Mono<Void> forward(ServerWebExchange exchange, String authorization, byte[] bytes, Departure departure) {
        Timer.Sample sample = Timer.start(meters);
        Runnable writing = () -> PaymentExchange.markWritten(exchange);
        return send(
                        upstreamUri(exchange),
                        exchange.getRequest().getMethod().name(),
                        authorization,
                        bytes,
                        departure,
                        writing)
                .onErrorMap(error -> !unsent(error), UpstreamTransportErrors::classify)
                .doOnEach(signal -> {
                    if (!unsent(signal.getThrowable())) {
                        record(exchange, sample, signal.getThrowable(), signal.get());
                    }
                })
                .flatMap(answer -> handle(exchange, answer));
    }

    /** Whether the failure is the budget's: nothing was sent (a stale grant, or no new one within the wait). */
    private static boolean unsent(@Nullable Throwable failure) {
        return failure instanceof LateDeparture || failure instanceof GatewayRejection;
    }

    /**
     * Sends the request. The budget is asked once more when the connection is ready and nothing is written yet
     * (headers go out with the body): a request early for its slot is held until it, and a thread stalled between the
     * budget stage and here must not send on a stale grant. Refused, the request fails with {@link LateDeparture} and
     * the connection is closed unused. The departure is told the request is leaving right before the write, and that it
     * was written once its bytes are in the kernel: the budget counts it from then.
     */
    private Mono<UpstreamAnswer> send(
            URI uri, String method, String authorization, byte[] body, Departure departure, Runnable writing) {
        AtomicReference<Departure> left = new AtomicReference<>();
        return client.headers(headers -> {
                    headers.set("Authorization", authorization);
                    headers.set("Accept", MediaType.APPLICATION_JSON_VALUE);
                    headers.set("Content-Type", MediaType.APPLICATION_JSON_VALUE);
                    headers.set("User-Agent", settings.userAgent());
                    headers.set("Accept-Encoding", "identity");
                    headers.setInt("Content-Length", body.length);
                    if (settings.wechatpaySerial() != null) {
                        headers.set("Wechatpay-Serial", settings.wechatpaySerial());
                    }
                })
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri(uri)
                .send((request, out) ->
                        out.sendByteArray(whenMayLeave(out, departure, true).map(leaving -> {
                            leaving.leaving();
                            if (departures.isDebugEnabled()) {
                                departures.debug("leaving {} {} {}", System.nanoTime(), nonce(authorization), leaving);
                            }
                            left.set(leaving);
                            writing.run();
                            return body;
                        })))
                .responseConnection((response, connection) -> answered(left, connection)
                        .asByteArray()
                        .reduceWith(ByteArrayOutputStream::new, this::append)
                        .map(ByteArrayOutputStream::toByteArray)
                        .defaultIfEmpty(EMPTY)
                        .map(answer ->
                                new UpstreamAnswer(response.status().code(), response.responseHeaders(), answer)))
                .single()
                .doOnError(error -> failed(left))
                // a request cancelled after it left (its deadline, the POS gone) may still reach WeChat
                .doOnCancel(() -> failed(left))
                .contextWrite(Context.of(LEFT, left));
    }

    /** Tells the departure the request left on, if it left, that it ended without an answer (nothing once answered). */
    private static void failed(AtomicReference<Departure> left) {
        Departure leaving = left.get();
        if (leaving != null) {
            leaving.failed();
        }
    }

    /**
     * Tells the departure the request left on that its answer came, and how long ago it reached this host; returns the
     * answer's body.
     */
    private static ByteBufFlux answered(AtomicReference<Departure> left, Connection connection) {
        Departure leaving = left.get();
        if (leaving != null) {
            leaving.answered(SocketReceipt.agoNanos(connection.channel()));
        }
        return connection.inbound().receive();
    }

    /**
     * The departure the request leaves on, decided on the connection's event loop right before the write, so that
     * nothing queues between the last look and the bytes going out: its own grant, at once or, early for its slot,
     * after holding until it with a timer on that event loop; or, when that grant went stale meanwhile (a starved
     * thread), a {@link Departure#renewed renewed} one, looked at again on the event loop when it comes. The request
     * keeps its connection meanwhile. {@code onLoop}: this is called on the connection's event loop.
     */
    private static Mono<Departure> whenMayLeave(NettyOutbound out, Departure departure, boolean onLoop) {
        long hold = departure.holdNanos();
        Mono<Boolean> fresh = onLoop && hold <= 0 ? Mono.fromSupplier(departure::fresh) : onEventLoop(out, departure);
        return fresh.flatMap(
                ok -> ok ? Mono.just(departure) : departure.renewed().flatMap(next -> whenMayLeave(out, next, false)));
    }

    /** Whether the departure is fresh, looked at on the connection's event loop once its hold is over. */
    private static Mono<Boolean> onEventLoop(NettyOutbound out, Departure departure) {
        return Mono.create(sink -> out.withConnection(connection -> {
            ScheduledFuture<?> timer = connection
                    .channel()
                    .eventLoop()
                    .schedule(() -> sink.success(departure.fresh()), departure.holdNanos(), TimeUnit.NANOSECONDS);
            sink.onCancel(() -> timer.cancel(false));
        }));
    }

    private static String nonce(@Nullable String authorization) {
        Matcher nonce = authorization == null ? null : NONCE.matcher(authorization);
        return nonce != null && nonce.find() ? nonce.group(1) : "-";
    }

    private ByteArrayOutputStream append(ByteArrayOutputStream out, byte[] chunk) {
        if (out.size() + chunk.length > settings.maxResponseBytes()) {
            throw new UpstreamFailure(
                    new UpstreamOutcome.OutcomeUnknown("answer larger than " + settings.maxResponseBytes() + " bytes"));
        }
        out.write(chunk, 0, chunk.length);
        return out;
    }

    private Mono<Void> handle(ServerWebExchange exchange, UpstreamAnswer answer) {
        String upstreamRequestId = answer.header("Request-ID");
        if (upstreamRequestId != null) {
            PaymentExchange.upstreamRequestId(exchange, upstreamRequestId);
        }
        if (!answer.isSuccess()) {
            return Mono.error(answered(answer, upstreamRequestId));
        }
        Verdict verdict = verifier.verify(
                answer.header("Wechatpay-Timestamp"),
                answer.header("Wechatpay-Nonce"),
                answer.header("Wechatpay-Signature"),
                answer.header("Wechatpay-Serial"),
                answer.body());
        if (!verdict.valid()) {
            log.warn(
                    "request_id={} upstream_request_id={} WeChat Pay answer failed verification: {}",
                    PaymentExchange.requestId(exchange),
                    upstreamRequestId,
                    verdict.reason());
            meters.counter("payegress_upstream_signature_failures_total", "route", routeId(exchange))
                    .increment();
            return Mono.error(new UpstreamFailure(
                    new UpstreamOutcome.SignatureInvalid(answer.status(), verdict.reason(), upstreamRequestId)));
        }
        return write(exchange, answer, upstreamRequestId);
    }

    private UpstreamFailure answered(UpstreamAnswer answer, @Nullable String upstreamRequestId) {
        UpstreamErrorBody error = UpstreamErrorBody.parse(json, answer.body());
        if (answer.status() == 401) {
            log.warn(
                    "WeChat Pay refused the gateway's signature (upstream_request_id={}, code={}, message={}): "
                            + "check the merchant key, serial and clock",
                    upstreamRequestId,
                    error.code(),
                    error.message());
        }
        return new UpstreamFailure(new UpstreamOutcome.Answered(
                answer.status(), error.code(), error.message(), upstreamRequestId, retryAfter(answer)));
    }

    private static @Nullable Duration retryAfter(UpstreamAnswer answer) {
        String value = answer.header("Retry-After");
        if (value == null || !value.matches("\\d{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    private Mono<Void> write(ServerWebExchange exchange, UpstreamAnswer answer, @Nullable String upstreamRequestId) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(answer.status()));
        String contentType = answer.header("Content-Type");
        response.getHeaders().set("Content-Type", contentType == null ? MediaType.APPLICATION_JSON_VALUE : contentType);
        if (upstreamRequestId != null) {
            response.getHeaders().set("X-Upstream-Request-Id", upstreamRequestId);
        }
        response.getHeaders().setContentLength(answer.body().length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
    }

    private static URI upstreamUri(ServerWebExchange exchange) {
        Route route = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        URI base = route.getUri();
        URI inbound = exchange.getRequest().getURI();
        String query = inbound.getRawQuery() == null ? "" : "?" + inbound.getRawQuery();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + inbound.getRawPath() + query);
    }

    private void record(
            ServerWebExchange exchange,
            Timer.Sample sample,
            @Nullable Throwable error,
            @Nullable UpstreamAnswer answer) {
        if (error == null && answer == null) {
            return;
        }
        String outcome = answer != null ? Integer.toString(answer.status()) : outcomeOf(error);
        sample.stop(meters.timer(
                "payegress_upstream_request_seconds",
                "route",
                routeId(exchange),
                "tenant",
                tenant(exchange),
                "outcome",
                outcome));
    }

    private static String outcomeOf(@Nullable Throwable error) {
        if (error instanceof UpstreamFailure failure) {
            return failure.outcome() instanceof UpstreamOutcome.Unreachable ? "unreachable" : "unknown";
        }
        return "error";
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? "-" : route.getId();
    }

    private static String tenant(ServerWebExchange exchange) {
        return PaymentExchange.tenant(exchange)
                .map(Tenant::id)
                .map(Object::toString)
                .orElse("-");
    }

    @Override
    public int getOrder() {
        return PipelineStage.FORWARD.order();
    }

    @Override
    public String toString() {
        return "WeChatPayForward(" + settings.connectTimeout() + ", " + settings.responseTimeout() + ")";
    }
}
