package io.payegress.filters.pipeline;

import io.payegress.filters.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Typed access to the per-request state the stages hand down: the request id, the authenticated tenant, the body
 * bytes exactly as received, the parsed {@code use_request_no} and the request's deadline.
 */
public final class PaymentExchange {

    private static final String PREFIX = PaymentExchange.class.getName() + ".";
    private static final String REQUEST_ID = PREFIX + "requestId";
    private static final String TENANT = PREFIX + "tenant";
    private static final String BODY = PREFIX + "body";
    private static final String USE_REQUEST_NO = PREFIX + "useRequestNo";
    private static final String DEADLINE = PREFIX + "deadline";
    private static final String UPSTREAM_REQUEST_ID = PREFIX + "upstreamRequestId";
    private static final String SIGNED_AUTHORIZATION = PREFIX + "signedAuthorization";
    private static final String DEPARTURE = PREFIX + "departure";
    private static final String WRITTEN = PREFIX + "written";
    private static final String HISTORY = PREFIX + "history";
    private static final String ARRIVED = PREFIX + "arrivedNanos";
    private static final String REACHED = PREFIX + "reachedNanos";
    private static final int STAGES = PipelineStage.values().length;

    private PaymentExchange() {}

    public static void requestId(ServerWebExchange exchange, String requestId) {
        exchange.getAttributes().put(REQUEST_ID, requestId);
    }

    /** The request id; "-" before the request-context stage ran. */
    public static String requestId(ServerWebExchange exchange) {
        return exchange.getAttributeOrDefault(REQUEST_ID, "-");
    }

    public static void tenant(ServerWebExchange exchange, Tenant tenant) {
        exchange.getAttributes().put(TENANT, tenant);
    }

    public static Optional<Tenant> tenant(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(TENANT));
    }

    /** The authenticated tenant; fails if authentication did not run, which is a wiring bug. */
    public static Tenant requireTenant(ServerWebExchange exchange) {
        return tenant(exchange)
                .orElseThrow(() -> new IllegalStateException("no authenticated tenant: is Authenticate on the route?"));
    }

    public static void body(ServerWebExchange exchange, byte[] body) {
        exchange.getAttributes().put(BODY, body);
    }

    /** The request body exactly as received; shared, never to be modified. */
    public static byte @Nullable [] body(ServerWebExchange exchange) {
        return exchange.getAttribute(BODY);
    }

    public static void useRequestNo(ServerWebExchange exchange, String useRequestNo) {
        exchange.getAttributes().put(USE_REQUEST_NO, useRequestNo);
    }

    public static Optional<String> useRequestNo(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(USE_REQUEST_NO));
    }

    public static void deadline(ServerWebExchange exchange, Instant deadline) {
        exchange.getAttributes().put(DEADLINE, deadline);
    }

    public static Optional<Instant> deadline(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(DEADLINE));
    }

    public static void upstreamRequestId(ServerWebExchange exchange, String requestId) {
        exchange.getAttributes().put(UPSTREAM_REQUEST_ID, requestId);
    }

    public static Optional<String> upstreamRequestId(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(UPSTREAM_REQUEST_ID));
    }

    /** The Authorization header the signing stage made for the current attempt. */
    public static void signedAuthorization(ServerWebExchange exchange, String authorization) {
        exchange.getAttributes().put(SIGNED_AUTHORIZATION, authorization);
    }

    public static Optional<String> signedAuthorization(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(SIGNED_AUTHORIZATION));
    }

    /**
     * How long ago the request reached this host. The first call asks the kernel how long ago its connection last
     * received data ({@link SocketReceipt#requestAgoNanos}: nothing more comes on it before the answer) and notes the
     * time on the exchange; later calls count from there. Asked by the stages that need it (the budget's), so that no
     * other request pays the system call.
     */
    public static long sinceArrivalNanos(ServerWebExchange exchange) {
        long now = System.nanoTime();
        Long arrived = exchange.getAttribute(ARRIVED);
        if (arrived == null) {
            arrived = now - SocketReceipt.requestAgoNanos(exchange);
            exchange.getAttributes().put(ARRIVED, arrived);
        }
        return Math.max(0, now - arrived);
    }

    /**
     * When the request arrived at this host by {@link System#nanoTime}, if a stage has asked ({@link #sinceArrivalNanos});
     * empty otherwise (this never asks the kernel).
     */
    public static OptionalLong arrivedNanos(ServerWebExchange exchange) {
        Long arrived = exchange.getAttribute(ARRIVED);
        return arrived == null ? OptionalLong.empty() : OptionalLong.of(arrived);
    }

    /**
     * Notes when the request first reached a stage on its way in, by {@link System#nanoTime} (for the access log: where
     * its time went). A retry's later attempts keep their first attempt's times.
     */
    public static void reached(ServerWebExchange exchange, PipelineStage stage) {
        long[] reached = exchange.getAttribute(REACHED);
        if (reached == null) {
            reached = new long[STAGES];
            exchange.getAttributes().put(REACHED, reached);
        }
        if (reached[stage.ordinal()] == 0) {
            long now = System.nanoTime();
            reached[stage.ordinal()] = now == 0 ? 1 : now;
        }
    }

    /** When the request first reached a stage, by {@link System#nanoTime}; empty if it never did. */
    public static OptionalLong reachedNanos(ServerWebExchange exchange, PipelineStage stage) {
        long[] reached = exchange.getAttribute(REACHED);
        return reached == null || reached[stage.ordinal()] == 0
                ? OptionalLong.empty()
                : OptionalLong.of(reached[stage.ordinal()]);
    }

    /** The id of the route serving the request, {@code "-"} before routing (for keys, metric tags and logs). */
    public static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? "-" : route.getId();
    }

    /** The budget stage's check for the current attempt, asked by the forward stage as the request leaves. */
    public static void departure(ServerWebExchange exchange, Departure departure) {
        exchange.getAttributes().put(DEPARTURE, departure);
    }

    public static Optional<Departure> departure(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(DEPARTURE));
    }

    /** Notes that an attempt of this request is being written to WeChat (from then on its outcome may be unknown). */
    public static void markWritten(ServerWebExchange exchange) {
        exchange.getAttributes().put(WRITTEN, Boolean.TRUE);
    }

    /** Whether any attempt of this request was written to WeChat. */
    public static boolean wasWritten(ServerWebExchange exchange) {
        return Boolean.TRUE.equals(exchange.getAttribute(WRITTEN));
    }

    /** What the dedupe stage knew of earlier requests with this use_request_no when this one claimed it. */
    public static void attemptHistory(ServerWebExchange exchange, AttemptHistory history) {
        exchange.getAttributes().put(HISTORY, history);
    }

    /** The history the dedupe stage found; UNKNOWN on a route without one, which cannot vouch for anything. */
    public static AttemptHistory attemptHistory(ServerWebExchange exchange) {
        return exchange.getAttributeOrDefault(HISTORY, AttemptHistory.UNKNOWN);
    }
}
