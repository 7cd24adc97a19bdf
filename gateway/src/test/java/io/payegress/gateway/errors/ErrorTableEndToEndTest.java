package io.payegress.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.gateway.support.GatewayInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default error schema end to end: each row of SPEC section 5, produced by the simulator, and each gateway-own
 * code that the stages on main raise, reaches the POS as RFC 9457 problem+json with the documented status, code,
 * retry rule, Retry-After and upstream member; each is counted once; none leaks an internal.
 */
class ErrorTableEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path keys;

    private static SimulatedWeChat wechat;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() {
        wechat = SimulatedWeChat.start(keys);
        gateway = GatewayInstance.start(wechat.gatewayProperties(ErrorScenarios.RESPONSE_TIMEOUT), "local");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        wechat.close();
    }

    static Stream<ErrorScenario> everyScenario() {
        return Stream.concat(ErrorScenarios.upstreamTable().stream(), ErrorScenarios.gatewayCodes().stream());
    }

    static Stream<ErrorScenario> transportFaults() {
        return ErrorScenarios.transportFaults().stream();
    }

    static EntityExchangeResult<byte[]> send(ErrorScenario scenario, String acceptLanguage) {
        wechat.reset();
        scenario.arrange().accept(wechat);
        ErrorScenario.Request request = scenario.request().withFreshUseRequestNo();
        return gateway.client()
                .post()
                .uri(request.path())
                .header("Authorization", "Bearer " + request.apiKey())
                .header("Accept-Language", acceptLanguage)
                .header("Content-Type", request.contentType())
                .bodyValue(request.body().getBytes(StandardCharsets.UTF_8))
                .exchange()
                .expectBody()
                .returnResult();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyScenario")
    void answersEachFailureWithItsDocumentedCodeStatusAndRetryRule(ErrorScenario scenario) {
        double before = errorsCounted(scenario);

        EntityExchangeResult<byte[]> result = send(scenario, "en-US");

        assertThat(result.getStatus().value()).isEqualTo(scenario.status());
        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.getContentType()).hasToString("application/problem+json");
        assertThat(headers.getFirst("Retry-After")).isEqualTo(scenario.retryAfter());
        JsonNode body = JSON.readTree(result.getResponseBody());
        assertThat(body.get("code").asString()).isEqualTo(scenario.code());
        assertThat(body.get("status").asInt()).isEqualTo(scenario.status());
        assertThat(body.get("retryable").asBoolean()).isEqualTo(scenario.retryable());
        assertThat(body.get("type").asString()).isEqualTo("urn:payegress:error:" + scenario.code());
        assertThat(body.get("request_id").asString()).isEqualTo(headers.getFirst("X-Request-Id"));
        assertThat(body.get("errors").isArray()).isTrue();
        if (scenario.upstreamStatus() == null) {
            assertThat(body.has("upstream")).isFalse();
        } else {
            assertThat(body.get("upstream").get("status").asInt()).isEqualTo(scenario.upstreamStatus());
            assertThat(body.get("upstream").get("code").asString(null)).isEqualTo(scenario.upstreamCode());
        }
        assertThat(errorsCounted(scenario)).isEqualTo(before + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transportFaults")
    void transportFaultsGiveTheirCodeAfterTheRetriesWithoutLeakingInternals(ErrorScenario scenario) {
        EntityExchangeResult<byte[]> result = send(scenario, "en");

        assertThat(result.getStatus().value()).isEqualTo(scenario.status());
        String body = new String(result.getResponseBody(), StandardCharsets.UTF_8);
        assertThat(body)
                .contains("\"code\":\"" + scenario.code() + "\"")
                .doesNotContain("Exception", "127.0.0.1", "localhost", "io.payegress", "reactor", "netty", "<html");
        assertThat(wechat.simulator().stats().totalCalls()).isEqualTo(3);
    }

    @Test
    void showsTheClerkASimplifiedChineseSentenceAndKeepsWeChatsOwnMessage() {
        ErrorScenario used = ErrorScenarios.named("400 RESOURCE_ALREADY_EXISTS");

        JsonNode body = JSON.readTree(send(used, "zh-CN,zh;q=0.9,en;q=0.5").getResponseBody());

        assertThat(body.get("code").asString()).isEqualTo("COUPON_ALREADY_USED");
        assertThat(body.get("title").asString()).isEqualTo("该券已被使用。");
        assertThat(body.get("upstream").get("message").asString()).isEqualTo("券已被其他订单核销");
    }

    @Test
    void exportsTheErrorCounterToPrometheus() {
        send(ErrorScenarios.named("400 RESOURCE_ALREADY_EXISTS"), "en");

        WebTestClient.ResponseSpec scrape = gateway.client()
                .get()
                .uri("/actuator/prometheus?includedNames=payegress_errors")
                .exchange();

        scrape.expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(text -> assertThat(text)
                        .containsPattern("payegress_errors_total\\{[^}]*code=\"COUPON_ALREADY_USED\"[^}]*"
                                + "route=\"busifavor-coupons-use\"[^}]*source=\"wechatpay\"[^}]*} [1-9]"));
    }

    @Test
    void timesEachRequestOnceAsSpringCloudGatewaysRequestsNotAlsoAsWebFluxsServerRequests() {
        send(ErrorScenarios.named("400 RESOURCE_ALREADY_EXISTS"), "en");

        gateway.client()
                .get()
                .uri(
                        "/actuator/prometheus?includedNames=spring_cloud_gateway_requests_seconds,http_server_requests_seconds")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(text -> assertThat(text)
                        .contains("spring_cloud_gateway_requests_seconds_count{")
                        .doesNotContain("http_server_requests_seconds"));
    }

    private static double errorsCounted(ErrorScenario scenario) {
        Counter counter = gateway.bean(MeterRegistry.class)
                .find("payegress.errors")
                .tag("code", scenario.code())
                .tag(
                        "source",
                        scenario.upstreamStatus() == null && !scenario.code().startsWith("UPSTREAM")
                                ? "gateway"
                                : "wechatpay")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
