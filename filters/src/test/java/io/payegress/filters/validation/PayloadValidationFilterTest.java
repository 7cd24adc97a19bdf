package io.payegress.filters.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The filter around the validator: what it hands on, what it refuses, what it counts, as configured from YAML. */
class PayloadValidationFilterTest {

    private static final String ROUTES = "file:../gateway/src/main/resources/routes/";
    private static final String USE_SCHEMA = ROUTES + "busifavor-coupons-use.schema.json";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PayloadValidationGatewayFilterFactory factory =
            new PayloadValidationGatewayFilterFactory(new DefaultResourceLoader(), registry);
    private final AtomicInteger chainCalls = new AtomicInteger();
    private final GatewayFilterChain chain = exchange -> Mono.fromRunnable(chainCalls::incrementAndGet);

    @Test
    void passesAValidBodyOnAndStoresItsUseRequestNo() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", Fixtures.SEED);

        StepVerifier.create(useFilter().filter(exchange, chain)).verifyComplete();

        assertThat(chainCalls).hasValue(1);
        assertThat(PaymentExchange.useRequestNo(exchange)).contains("1002600620019090123143254435");
        assertThat(PayloadValidationFilter.parsedBody(exchange))
                .hasValueSatisfying(
                        tree -> assertThat(tree.path("appid").asString()).isEqualTo("wx1234567889999"));
        assertThat(registry.find(PayloadValidationFilter.REJECTIONS).counters()).isEmpty();
    }

    @Test
    void refusesAnInvalidBodyWithValidationFailedWithoutCallingOnAndCountsIt() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", Fixtures.SEED.replace("+08:00", ""));

        StepVerifier.create(useFilter().filter(exchange, chain))
                .expectErrorSatisfies(error -> {
                    GatewayRejection rejection = (GatewayRejection) error;
                    assertThat(rejection.code()).isEqualTo(GatewayCode.VALIDATION_FAILED);
                    assertThat(rejection.errors())
                            .containsExactly(new FieldError("/use_time", SchemaMessages.DATE_TIME));
                })
                .verify();

        assertThat(chainCalls).hasValue(0);
        assertThat(PaymentExchange.useRequestNo(exchange)).isEmpty();
        assertThat(PayloadValidationFilter.parsedBody(exchange)).isEmpty();
        assertThat(rejections("busifavor-coupons-use", "schema")).isEqualTo(1.0);
    }

    @Test
    void refusesAnotherMerchantsAppidWithForbiddenAndCountsItsReason() {
        MockServerWebExchange exchange =
                exchange("busifavor-coupons-use", Fixtures.SEED.replace("wx1234567889999", "wx9999"));

        StepVerifier.create(useFilter().filter(exchange, chain))
                .expectErrorSatisfies(
                        error -> assertThat(((GatewayRejection) error).code()).isEqualTo(GatewayCode.FORBIDDEN))
                .verify();

        assertThat(chainCalls).hasValue(0);
        assertThat(rejections("busifavor-coupons-use", "forbidden_appid")).isEqualTo(1.0);
    }

    @Test
    void treatsAMissingBodyAsEmpty() {
        MockServerWebExchange exchange = exchange("busifavor-coupons-use", null);

        StepVerifier.create(useFilter().filter(exchange, chain))
                .expectErrorSatisfies(error -> assertThat(((GatewayRejection) error).errors())
                        .extracting(FieldError::pointer)
                        .containsExactly(""))
                .verify();

        assertThat(rejections("busifavor-coupons-use", "not_json")).isEqualTo(1.0);
    }

    @Test
    void aMissingTenantIsAWiringErrorSignalledNotThrown() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));

        StepVerifier.create(useFilter().filter(exchange, chain))
                .expectError(IllegalStateException.class)
                .verify();
    }

    @Test
    void aSecondApiIsOnlyASchemaFileAndRouteSettings() {
        GatewayFilter returnFilter = factory.apply(new PayloadValidationGatewayFilterFactory.Config()
                .setSchema(ROUTES + "busifavor-coupons-return.schema.json")
                .setIdempotencyKeyField("return_request_no"));
        MockServerWebExchange ok = exchange("busifavor-coupons-return", Fixtures.RETURN_EXAMPLE);
        MockServerWebExchange useBody = exchange("busifavor-coupons-return", Fixtures.SEED);

        StepVerifier.create(returnFilter.filter(ok, chain)).verifyComplete();
        StepVerifier.create(returnFilter.filter(useBody, chain))
                .expectError(GatewayRejection.class)
                .verify();

        assertThat(PaymentExchange.useRequestNo(ok)).contains("R20150520001");
        assertThat(chainCalls).hasValue(1);
        assertThat(rejections("busifavor-coupons-return", "schema")).isEqualTo(1.0);
    }

    @Test
    void runsAtTheValidationStage() {
        assertThat(((Ordered) useFilter()).getOrder()).isEqualTo(PipelineStage.VALIDATION.order());
        assertThat(useFilter().toString()).startsWith("PayloadValidation[").contains("busifavor-coupons-use");
    }

    @Test
    void isNamedPayloadValidationWithSchemaAsItsShortcut() {
        assertThat(factory.name()).isEqualTo("PayloadValidation");
        assertThat(factory.shortcutFieldOrder()).containsExactly("schema");
    }

    @Test
    void bindsItsKebabCaseSettings() {
        Map<String, String> yaml = Map.of(
                "schema", USE_SCHEMA,
                "allow-unknown-fields", "true",
                "max-depth", "8",
                "max-number-length", "20",
                "idempotency-key-field", "");

        PayloadValidationGatewayFilterFactory.Config config = new Binder(new MapConfigurationPropertySource(yaml))
                .bind("", Bindable.ofInstance(new PayloadValidationGatewayFilterFactory.Config()))
                .get();

        assertThat(config.getSchema()).isEqualTo(USE_SCHEMA);
        assertThat(config.isAllowUnknownFields()).isTrue();
        assertThat(config.getMaxDepth()).isEqualTo(8);
        assertThat(config.getMaxNumberLength()).isEqualTo(20);
        assertThat(config.getIdempotencyKeyField()).isEmpty();
    }

    @Test
    void failsAtRouteBuildingWhenTheSchemaCannotBeRead() {
        PayloadValidationGatewayFilterFactory.Config missing =
                new PayloadValidationGatewayFilterFactory.Config().setSchema("classpath:routes/nope.schema.json");

        assertThatThrownBy(() -> factory.apply(missing)).hasMessageContaining("routes/nope.schema.json");
    }

    private GatewayFilter useFilter() {
        return factory.apply(new PayloadValidationGatewayFilterFactory.Config().setSchema(USE_SCHEMA));
    }

    private double rejections(String route, String reason) {
        return registry.get(PayloadValidationFilter.REJECTIONS)
                .tags("route", route, "tenant", "store-001", "reason", reason)
                .counter()
                .count();
    }

    private static MockServerWebExchange exchange(String routeId, String body) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x"));
        Route route = Route.async()
                .id(routeId)
                .uri("http://127.0.0.1:1")
                .predicate(e -> true)
                .build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        PaymentExchange.tenant(exchange, Fixtures.store001());
        if (body != null) {
            PaymentExchange.body(exchange, Fixtures.utf8(body));
        }
        return exchange;
    }
}
