package io.payegress.simulator.admin;

import io.payegress.simulator.coupon.CouponBook;
import io.payegress.simulator.coupon.CouponService;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.fault.FaultPlan;
import io.payegress.simulator.limit.SlidingWindowLimiter;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.signing.MerchantKeys;
import io.payegress.simulator.stats.RecordedRequest;
import io.payegress.simulator.stats.RequestLog;
import io.payegress.simulator.stats.SimulatorStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongBinaryOperator;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON admin API under {@code /__sim/}: reset, stats, the calls accepted between two instants of the host's
 * monotonic clock ({@code GET /__sim/accepted?from=<nanos>&to=<nanos>}), faults, seeding stocks, coupons, bindings and
 * merchants, the limit, what a resent use_request_no gets ({@code PUT /__sim/resend {"resend":"already-exists"}}) and
 * the recorded requests. No authentication and no signature checks: it is a test control surface.
 */
public final class AdminApi {

    /** The path prefix every admin route lives under. */
    public static final String PREFIX = "/__sim/";

    private final CouponBook book;
    private final FaultPlan faults;
    private final MerchantKeys keys;
    private final SlidingWindowLimiter limiter;
    private final CouponService coupons;
    private final Supplier<SimulatorStats> stats;
    private final LongBinaryOperator acceptedBetween;
    private final RequestLog requests;
    private final Runnable reset;
    private final JsonMapper mapper;

    public AdminApi(
            CouponBook book,
            FaultPlan faults,
            MerchantKeys keys,
            SlidingWindowLimiter limiter,
            CouponService coupons,
            Supplier<SimulatorStats> stats,
            LongBinaryOperator acceptedBetween,
            RequestLog requests,
            Runnable reset,
            JsonMapper mapper) {
        this.book = book;
        this.faults = faults;
        this.keys = keys;
        this.limiter = limiter;
        this.coupons = coupons;
        this.stats = stats;
        this.acceptedBetween = acceptedBetween;
        this.requests = requests;
        this.reset = reset;
        this.mapper = mapper;
    }

    /** Answers one admin call; {@code path} is without the query string. */
    public AdminReply handle(String method, String path, Map<String, String> query, byte[] body) {
        String route = method + " " + path.substring(PREFIX.length() - 1);
        try {
            return route(route, query, body);
        } catch (IllegalArgumentException | JacksonException e) {
            return reply(400, mapper.createObjectNode().put("error", String.valueOf(e.getMessage())));
        }
    }

    private AdminReply route(String route, Map<String, String> query, byte[] body) {
        switch (route) {
            case "POST /reset":
                reset.run();
                return ok();
            case "GET /stats":
                return reply(200, mapper.valueToTree(stats.get()));
            case "GET /accepted":
                return accepted(query);
            case "GET /faults":
                return reply(200, mapper.valueToTree(faults.active()));
            case "POST /faults":
                faults.add(AdminRequests.fault(json(body)));
                return reply(200, mapper.valueToTree(faults.active()));
            case "DELETE /faults":
                faults.clear();
                return ok();
            case "POST /stocks":
                book.putStock(AdminRequests.stock(json(body)));
                return ok();
            case "POST /coupons":
                book.putCoupon(AdminRequests.coupon(json(body)));
                return ok();
            case "POST /bindings":
                JsonNode binding = json(body);
                book.bind(AdminRequests.text(binding, "appid"), AdminRequests.text(binding, "mchid"));
                return ok();
            case "POST /merchants":
                return merchant(json(body));
            case "PUT /limit":
                limiter.setLimit(json(body).path("per_second").asInt(-1));
                return ok();
            case "GET /resend":
                return resend();
            case "PUT /resend":
                coupons.resend(ResendBehaviour.parse(AdminRequests.text(json(body), "resend")));
                return resend();
            case "GET /requests":
                return recorded(Integer.parseInt(query.getOrDefault("limit", "100")));
            default:
                return coupon(route);
        }
    }

    private AdminReply coupon(String route) {
        String prefix = "GET /coupons/";
        if (!route.startsWith(prefix)) {
            return reply(404, mapper.createObjectNode().put("error", "no admin route " + route));
        }
        return book.coupon(route.substring(prefix.length()))
                .map(coupon -> reply(200, mapper.valueToTree(coupon)))
                .orElseGet(() -> reply(404, mapper.createObjectNode().put("error", "no such coupon")));
    }

    private AdminReply accepted(Map<String, String> query) {
        long from = Long.parseLong(required(query, "from"));
        long to = Long.parseLong(required(query, "to"));
        if (to < from) {
            throw new IllegalArgumentException("to must not be before from");
        }
        return reply(
                200,
                mapper.createObjectNode()
                        .put("from", from)
                        .put("to", to)
                        .put("accepted", acceptedBetween.applyAsLong(from, to)));
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing query parameter " + name);
        }
        return value;
    }

    private AdminReply resend() {
        String behaviour = coupons.resend().name().toLowerCase(Locale.ROOT).replace('_', '-');
        return reply(200, mapper.createObjectNode().put("resend", behaviour));
    }

    private AdminReply merchant(JsonNode body) {
        String mchid = AdminRequests.text(body, "mchid");
        String pem = AdminRequests.optional(body, "public_key_pem");
        if (pem != null) {
            keys.add(mchid, AdminRequests.text(body, "serial_no"), KeyMaterial.parsePublicKey(pem));
        }
        book.registerMerchant(mchid);
        return ok();
    }

    private AdminReply recorded(int limit) {
        ArrayNode list = mapper.createArrayNode();
        List<RecordedRequest> last = requests.last(Math.max(0, limit));
        for (RecordedRequest request : last) {
            ObjectNode node = list.addObject();
            node.put("method", request.method());
            node.put("path", request.path());
            node.set("headers", mapper.valueToTree(request.headers()));
            node.put("body", request.bodyAsString());
            node.put("arrival", request.arrival().toString());
        }
        return reply(200, list);
    }

    private JsonNode json(byte[] body) {
        JsonNode node = mapper.readTree(body);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a JSON object body is required");
        }
        return node;
    }

    private AdminReply ok() {
        return reply(200, mapper.createObjectNode().put("ok", true));
    }

    private AdminReply reply(int status, JsonNode body) {
        return new AdminReply(status, mapper.writeValueAsBytes(body));
    }
}
