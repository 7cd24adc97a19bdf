package io.payegress.filters.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class UpstreamErrorBodyTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统繁忙\"}|SYSTEM_ERROR|系统繁忙",
                "{\"code\":\"PARAM_ERROR\"}|PARAM_ERROR|null",
                "<html><body>502 Bad Gateway</body></html>|null|null",
                "''|null|null",
                "{\"code\":\"SYSTEM_ER|null|null",
                "{\"code\":42,\"message\":[1]}|null|null",
                "[1,2]|null|null"
            })
    void parsesWeChatErrorBodiesDefensively(String body, String code, String message) {
        UpstreamErrorBody parsed = UpstreamErrorBody.parse(json, body.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.code()).isEqualTo(code);
        assertThat(parsed.message()).isEqualTo(message);
    }
}
