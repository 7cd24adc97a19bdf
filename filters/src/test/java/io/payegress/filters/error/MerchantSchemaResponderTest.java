package io.payegress.filters.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.pipeline.PaymentExchange;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class MerchantSchemaResponderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MerchantErrorMapper renamed = new MerchantErrorMapper(
            List.of(new MappingRule(0, java.util.Set.of("RESOURCE_ALREADY_EXISTS"), null, "USED", 409, false, "Used")));
    private final MerchantSchemaResponder responder = new MerchantSchemaResponder(
            new RouteErrorMappers(Map.of("legacy-route", renamed), MerchantErrorMapper.couponsUseDefaults()),
            ErrorEnvelope.problemJson(),
            ClerkMessages.defaults(),
            JsonMapper.builder().build(),
            meters);

    private static MockServerWebExchange exchange(String route, String acceptLanguage) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/v3/x").header("Accept-Language", acceptLanguage));
        exchange.getAttributes()
                .put(
                        ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
                        Route.async()
                                .id(route)
                                .uri(URI.create("http://127.0.0.1:1"))
                                .predicate(e -> true)
                                .build());
        PaymentExchange.requestId(exchange, "rid-7");
        return exchange;
    }

    private static UpstreamFailure alreadyExists() {
        return new UpstreamFailure(
                new UpstreamOutcome.Answered(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "REQ-9", null));
    }

    @Test
    void writesTheRoutesMappingInTheEnvelopeWithTheClerkSentenceInTheAskedLanguage() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", "zh-CN,zh;q=0.9");

        StepVerifier.create(responder.write(exchange, alreadyExists())).verifyComplete();

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(409);
        assertThat(exchange.getResponse().getHeaders().getContentType().toString())
                .isEqualTo("application/problem+json");
        assertThat(exchange.getResponse().getHeaders().getFirst("X-Upstream-Request-Id"))
                .isEqualTo("REQ-9");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"title\":\"该券已被使用。\"", "\"code\":\"COUPON_ALREADY_USED\"", "\"request_id\":\"rid-7\"");
    }

    @Test
    void usesTheTableConfiguredForTheRoute() {
        MockServerWebExchange exchange = exchange("legacy-route", "en");

        StepVerifier.create(responder.write(exchange, alreadyExists())).verifyComplete();

        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"USED\"");
        assertThat(responder.retryable(exchange, alreadyExists())).isFalse();
    }

    @Test
    void setsRetryAfterOnRateLimitsAndCountsEachWrittenErrorOnce() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", "en");
        GatewayRejection limited =
                new GatewayRejection(GatewayCode.RATE_LIMITED, "Wait.", List.of(), Duration.ofMillis(2500));

        StepVerifier.create(responder.write(exchange, limited)).verifyComplete();

        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(meters.get("payegress.errors")
                        .tags("code", "RATE_LIMITED", "source", "gateway", "route", "busifavor-coupons-use")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void neverPutsATransportReasonOrHostIntoTheBody() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", "en");
        UpstreamFailure unreachable = new UpstreamFailure(new UpstreamOutcome.Unreachable(
                "ConnectException: Connection refused: api.mch.weixin.qq.com/10.9.8.7:443"));

        StepVerifier.create(responder.write(exchange, unreachable)).verifyComplete();

        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"code\":\"UPSTREAM_UNAVAILABLE\"")
                .doesNotContain("Exception", "weixin", "10.9.8.7", "refused");
        assertThat(meters.get("payegress.errors")
                        .tag("source", "wechatpay")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aPreparedAnswerIsTheAnswerForEveryRequestIdAndLanguageAndIsCountedEachTime() {
        MerchantSchemaResponder legacy = new MerchantSchemaResponder(
                new RouteErrorMappers(Map.of(), MerchantErrorMapper.couponsUseDefaults()),
                ErrorEnvelope.of(
                        "application/json",
                        Map.of("errcode", "${code}", "errmsg", "${message} (${request_id})", "retry", "${retryable}"),
                        ErrorEnvelope.Absent.OMIT,
                        "template"),
                ClerkMessages.defaults(),
                JsonMapper.builder().build(),
                meters);
        GatewayRejection limited =
                new GatewayRejection(GatewayCode.RATE_LIMITED, "Wait.", List.of(), Duration.ofMillis(2500));

        for (MerchantSchemaResponder each : List.of(responder, legacy)) {
            PreparedAnswer prepared = each.prepare("busifavor-coupons-use", limited);
            for (String requestId : List.of("rid-7", "0b6f1c2e-5d4a-4f3e-9a8b-7c6d5e4f3a2b", "x", "not \"sane\"")) {
                for (String language : java.util.Arrays.asList(null, "en", "zh-CN,zh;q=0.9")) {
                    ErrorAnswer expected = each.answer("busifavor-coupons-use", requestId, language, limited);
                    ErrorAnswer answer = prepared.answer(requestId, language);

                    assertThat(answer.body()).as(requestId + " " + language).isEqualTo(expected.body());
                    assertThat(answer.status()).isEqualTo(expected.status());
                    assertThat(answer.contentType()).isEqualTo(expected.contentType());
                    assertThat(answer.retryAfterSeconds()).isEqualTo(expected.retryAfterSeconds());
                }
            }
        }
        assertThat(meters.get("payegress.errors")
                        .tags("code", "RATE_LIMITED", "source", "gateway", "route", "busifavor-coupons-use")
                        .counter()
                        .count())
                .as("each answer, prepared or not, counted once")
                .isEqualTo(2 * 4 * 3 * 2);
    }
}
