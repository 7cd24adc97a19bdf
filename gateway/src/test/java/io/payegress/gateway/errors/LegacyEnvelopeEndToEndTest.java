package io.payegress.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.support.GatewayInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A merchant's legacy error shape {"errcode", "errmsg", "retry", ...}, its own row for one WeChat code, a renamed
 * gateway code and its own clerk sentence, all from a YAML file given at start: the same failures as the default
 * schema's test, in the merchant's shape, with no code change.
 */
class LegacyEnvelopeEndToEndTest {

    static final String LEGACY_SCHEMA = """
            payegress:
              errors:
                envelope:
                  content-type: application/json
                  template:
                    errcode: "${code}"
                    errmsg: "${message}"
                    retry: "${retryable}"
                    data:
                      request_id: "${request_id}"
                      upstream_code: "${upstream.code}"
                    version: 2
                routes:
                  busifavor-coupons-use:
                    extend-defaults: true
                    rules:
                      - upstream-status: 400
                        codes: [RESOURCE_ALREADY_EXISTS]
                        merchant-code: COUPON_USED_BY_OTHER_ORDER
                        status: 409
                        retryable: false
                gateway-codes:
                  UNAUTHENTICATED:
                    code: NOT_SIGNED_IN
                messages:
                  COUPON_NOT_FOUND:
                    en: "No such coupon: check the code."
            """;

    private static final Map<String, String> RENAMED =
            Map.of("COUPON_ALREADY_USED", "COUPON_USED_BY_OTHER_ORDER", "UNAUTHENTICATED", "NOT_SIGNED_IN");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path directory;

    private static SimulatedWeChat wechat;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() throws IOException {
        Path schema = Files.writeString(directory.resolve("legacy-errors.yml"), LEGACY_SCHEMA);
        wechat = SimulatedWeChat.start(directory.resolve("keys"));
        Map<String, Object> properties =
                new java.util.HashMap<>(wechat.gatewayProperties(ErrorScenarios.RESPONSE_TIMEOUT));
        properties.put("spring.config.additional-location", "file:" + schema);
        gateway = GatewayInstance.start(properties, "local");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        wechat.close();
    }

    static Stream<ErrorScenario> everyScenario() {
        return ErrorTableEndToEndTest.everyScenario();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyScenario")
    void answersEachFailureInTheMerchantsLegacyShape(ErrorScenario scenario) {
        EntityExchangeResult<byte[]> result = send(scenario);

        assertThat(result.getStatus().value()).isEqualTo(scenario.status());
        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.getContentType()).hasToString("application/json");
        assertThat(headers.getFirst("Retry-After")).isEqualTo(scenario.retryAfter());
        JsonNode body = JSON.readTree(result.getResponseBody());
        assertThat(body.propertyNames()).containsExactly("errcode", "errmsg", "retry", "data", "version");
        assertThat(body.get("errcode").asString()).isEqualTo(RENAMED.getOrDefault(scenario.code(), scenario.code()));
        assertThat(body.get("errmsg").asString()).isNotBlank().doesNotContain("${");
        assertThat(body.get("retry").isBoolean()).isTrue();
        assertThat(body.get("retry").asBoolean()).isEqualTo(scenario.retryable());
        assertThat(body.get("version").isInt()).isTrue();
        assertThat(body.get("data").get("request_id").asString()).isEqualTo(headers.getFirst("X-Request-Id"));
        if (scenario.upstreamCode() == null) {
            assertThat(body.get("data").has("upstream_code")).isFalse();
        } else {
            assertThat(body.get("data").get("upstream_code").asString()).isEqualTo(scenario.upstreamCode());
        }
        if (scenario.code().equals("COUPON_NOT_FOUND")) {
            assertThat(body.get("errmsg").asString()).isEqualTo("No such coupon: check the code.");
        }
    }

    private static EntityExchangeResult<byte[]> send(ErrorScenario scenario) {
        wechat.reset();
        scenario.arrange().accept(wechat);
        ErrorScenario.Request request = scenario.request();
        return gateway.client()
                .post()
                .uri(request.path())
                .header("Authorization", "Bearer " + request.apiKey())
                .header("Content-Type", request.contentType())
                .bodyValue(request.body().getBytes(StandardCharsets.UTF_8))
                .exchange()
                .expectBody()
                .returnResult();
    }
}
