package io.payegress.filters.idempotency;

import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** Coupon-use exchanges as the idempotency stage receives them: authenticated, body read, on a route. */
final class TestExchanges {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestExchanges() {}

    static MockServerWebExchange couponUse(String couponCode, String useRequestNo) {
        String json = "{\"coupon_code\":\"" + couponCode + "\",\"use_request_no\":\"" + useRequestNo + "\"}";
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use")
                        .body(json));
        PaymentExchange.body(exchange, json.getBytes(StandardCharsets.UTF_8));
        PaymentExchange.tenant(
                exchange,
                new Tenant(new TenantId("store-001"), List.of(), Set.of(), Map.of(), 1, OptionalInt.empty(), false));
        Route route = Route.async()
                .id("coupons-use")
                .uri(URI.create("http://localhost"))
                .predicate(e -> true)
                .build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        return exchange;
    }

    static byte[] responseBody(MockServerWebExchange exchange) {
        return DataBufferUtils.join(exchange.getResponse().getBody())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .block(TIMEOUT);
    }
}
