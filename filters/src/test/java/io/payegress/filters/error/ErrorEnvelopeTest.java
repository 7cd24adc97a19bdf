package io.payegress.filters.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class ErrorEnvelopeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final MerchantError USED = new MerchantError(
            409,
            "COUPON_ALREADY_USED",
            false,
            "Coupon already used",
            "Coupon already used.",
            List.of(),
            new MerchantError.Upstream(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "REQ-1"),
            null);

    private static final MerchantError INVALID = new MerchantError(
            400,
            "VALIDATION_FAILED",
            false,
            "The request is not valid",
            "1 field is invalid.",
            List.of(new FieldError("/use_time", "must be RFC 3339")),
            null,
            null);

    private static String render(ErrorEnvelope envelope, MerchantError error) {
        byte[] body = envelope.render(ErrorPlaceholders.values(error, "rid-1", "Sentence."), JSON);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> legacyTemplate() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("request_id", "${request_id}");
        data.put("upstream_code", "${upstream.code}");
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("errcode", "${code}");
        template.put("errmsg", "${message}");
        template.put("retry", "${retryable}");
        template.put("data", data);
        template.put("version", 2);
        return template;
    }

    @Test
    void rendersTheRfc9457DefaultWithUpstreamOnlyWhenWeChatAnswered() {
        assertThat(render(ErrorEnvelope.problemJson(), USED))
                .isEqualTo("{\"type\":\"urn:payegress:error:COUPON_ALREADY_USED\",\"title\":\"Sentence.\","
                        + "\"status\":409,\"detail\":\"Coupon already used.\",\"code\":\"COUPON_ALREADY_USED\","
                        + "\"retryable\":false,\"request_id\":\"rid-1\",\"errors\":[],\"upstream\":{\"status\":400,"
                        + "\"code\":\"RESOURCE_ALREADY_EXISTS\",\"message\":\"券已被其他订单核销\",\"request_id\":\"REQ-1\"}}");
        assertThat(render(ErrorEnvelope.problemJson(), INVALID))
                .doesNotContain("upstream")
                .contains("\"errors\":[{\"pointer\":\"/use_time\",\"detail\":\"must be RFC 3339\"}]");
    }

    @Test
    void fillsALegacyTemplateWithTypedValuesAndKeepsConstants() {
        ErrorEnvelope legacy =
                ErrorEnvelope.of("application/json", legacyTemplate(), ErrorEnvelope.Absent.OMIT, "p.template");

        assertThat(render(legacy, USED))
                .isEqualTo(
                        "{\"errcode\":\"COUPON_ALREADY_USED\",\"errmsg\":\"Sentence.\",\"retry\":false,"
                                + "\"data\":{\"request_id\":\"rid-1\",\"upstream_code\":\"RESOURCE_ALREADY_EXISTS\"},\"version\":2}");
    }

    @ParameterizedTest
    @CsvSource({"OMIT, '\"data\":{\"request_id\":\"rid-1\"}'", "NULL, '\"upstream_code\":null'"})
    void leavesOutOrNullsAnAbsentValueAsConfigured(ErrorEnvelope.Absent absent, String expected) {
        ErrorEnvelope legacy = ErrorEnvelope.of("application/json", legacyTemplate(), absent, "p.template");

        assertThat(render(legacy, INVALID)).contains(expected);
    }

    @Test
    void interpolatesPlaceholdersInsideTextAndListsBoundAsIndexedMaps() {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("summary", "${code} (${status}) retry after ${retry_after}s");
        template.put("items", Map.of("1", "${retryable}", "0", "${status}"));
        MerchantError limited =
                new MerchantError(429, "RATE_LIMITED", true, "t", "d", List.of(), null, Duration.ofSeconds(3));

        String body = render(ErrorEnvelope.of("application/json", template, ErrorEnvelope.Absent.OMIT, "p"), limited);

        assertThat(body).isEqualTo("{\"summary\":\"RATE_LIMITED (429) retry after 3s\",\"items\":[429,true]}");
    }

    @Test
    void refusesAnUnknownPlaceholderNamingWhereItIs() {
        Map<String, Object> template = legacyTemplate();
        template.put("data", Map.of("upstream_code", "${upstream.cod}"));

        assertThatThrownBy(() -> ErrorEnvelope.of(
                        "application/json", template, ErrorEnvelope.Absent.OMIT, "payegress.errors.envelope.template"))
                .isInstanceOf(InvalidErrorSchemaException.class)
                .hasMessageStartingWith("payegress.errors.envelope.template.data.upstream_code: unknown placeholder "
                        + "${upstream.cod}");
    }

    @Test
    void refusesAnEmptyTemplate() {
        assertThatThrownBy(() -> ErrorEnvelope.of("application/json", Map.of(), ErrorEnvelope.Absent.OMIT, "p.t"))
                .isInstanceOf(InvalidErrorSchemaException.class)
                .hasMessageStartingWith("p.t: ");
    }

    @Test
    void rendersTheSameBytesForTheSameError() {
        ErrorEnvelope envelope = ErrorEnvelope.problemJson();
        assertThat(render(envelope, INVALID)).isEqualTo(render(envelope, INVALID));
    }
}
