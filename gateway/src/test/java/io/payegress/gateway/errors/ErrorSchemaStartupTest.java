package io.payegress.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.gateway.config.ErrorSchemaConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

/** The error schema's wiring: works with no configuration, and refuses a schema that cannot work, naming the property. */
class ErrorSchemaStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ErrorSchemaConfiguration.class)
            .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void startsWithTheBuiltInSchemaWhenNothingIsConfigured() {
        runner.run(context -> assertThat(context).hasSingleBean(MerchantErrorResponder.class));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "payegress.errors.envelope.template.errcode|${cod}|payegress.errors.envelope.template.errcode: unknown placeholder ${cod}",
                "payegress.errors.envelope.template.data.up|x ${upstream.nope}|payegress.errors.envelope.template.data.up: unknown placeholder",
                "payegress.errors.envelope.content-type|text/html|payegress.errors.envelope.content-type: text/html is not a JSON media type",
                "payegress.errors.routes.r1.rules[0].message-pattern|([a|payegress.errors.routes.r1.rules[0].message-pattern: not a valid regular expression",
                "payegress.errors.routes.r1.rules[0].status|700|payegress.errors.routes.r1.rules[0].status: 700 is not an HTTP error status",
                "payegress.errors.routes.r1.rules[0].status|200|payegress.errors.routes.r1.rules[0].status: 200 is not an HTTP error status",
                "payegress.errors.routes.r1.rules[0].upstream-status|42|payegress.errors.routes.r1.rules[0].upstream-status: 42 is not 0",
                "payegress.errors.gateway-codes.RATE_LIMITED.code|' '|payegress.errors.gateway-codes.RATE_LIMITED.code: must not be blank",
                "payegress.errors.gateway-codes.RATE_LIMITED.status|99|payegress.errors.gateway-codes.RATE_LIMITED.status: 99 is not",
            })
    void refusesToStartWithASchemaThatCannotWork(String property, String value, String message) {
        runner.withPropertyValues(
                        property + "=" + value,
                        "payegress.errors.routes.r1.rules[0].merchant-code=X",
                        "payegress.errors.routes.r1.rules[0].status=400")
                .withPropertyValues(property + "=" + value)
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageStartingWith(message));
    }

    @Test
    void keepsAnEscapedPlaceholderWhoseNameIsAlsoASpringProperty() {
        runner.withPropertyValues(
                        "code=from-the-environment",
                        "payegress.errors.envelope.content-type=application/json",
                        "payegress.errors.envelope.template.errcode=\\${code}",
                        "payegress.errors.envelope.template.shadowed=${code}")
                .run(context -> {
                    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));
                    context.getBean(MerchantErrorResponder.class)
                            .write(exchange, new GatewayRejection(GatewayCode.FORBIDDEN, "No."))
                            .block();
                    assertThat(exchange.getResponse().getBodyAsString().block())
                            .isEqualTo("{\"errcode\":\"FORBIDDEN\",\"shadowed\":\"from-the-environment\"}");
                });
    }

    @Test
    void refusesARuleWithoutAMerchantCode() {
        runner.withPropertyValues("payegress.errors.routes.r1.rules[0].status=400")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("payegress.errors.routes.r1.rules[0].merchant-code: required"));
    }
}
