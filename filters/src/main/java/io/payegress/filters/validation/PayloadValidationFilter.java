package io.payegress.filters.validation;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.util.Optional;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The VALIDATION stage of one route: validates the body the body-reading stage stored against the route's schema
 * and the authenticated tenant's grants; on success hands the parsed tree and the idempotency key on, else fails the
 * exchange with a
 * {@link io.payegress.filters.error.GatewayRejection} and counts the rejection. Runs on the event loop (pure CPU).
 */
public final class PayloadValidationFilter implements GatewayFilter, Ordered {

    /** Micrometer name; Prometheus exposes it as {@code payegress_validation_rejections_total}. */
    public static final String REJECTIONS = "payegress.validation.rejections";

    /** Exchange attribute holding the accepted body's parsed tree ({@code JsonNode}), for later stages to read. */
    public static final String PARSED_BODY_ATTR = PayloadValidationFilter.class.getName() + ".parsedBody";

    private static final byte[] EMPTY = new byte[0];

    private final PayloadValidator validator;
    private final MeterRegistry registry;
    private final String description;

    public PayloadValidationFilter(PayloadValidator validator, MeterRegistry registry, String description) {
        this.validator = validator;
        this.registry = registry;
        this.description = description;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.VALIDATION);
        return Mono.defer(() -> {
            Tenant tenant = PaymentExchange.requireTenant(exchange);
            byte[] body = PaymentExchange.body(exchange);
            ValidationResult result = validator.validate(body == null ? EMPTY : body, tenant);
            if (result instanceof ValidationResult.Rejected rejected) {
                countRejection(exchange, tenant, rejected.reason());
                return Mono.error(rejected.toRejection());
            }
            ValidationResult.Accepted accepted = (ValidationResult.Accepted) result;
            exchange.getAttributes().put(PARSED_BODY_ATTR, accepted.body());
            accepted.idempotencyKey().ifPresent(key -> PaymentExchange.useRequestNo(exchange, key));
            return chain.filter(exchange);
        });
    }

    /** The tree this stage parsed, if the body was accepted; never modify it. */
    public static Optional<JsonNode> parsedBody(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(PARSED_BODY_ATTR));
    }

    private void countRejection(ServerWebExchange exchange, Tenant tenant, RejectionReason reason) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? "unknown" : route.getId();
        registry.counter(REJECTIONS, "route", routeId, "tenant", tenant.id().value(), "reason", reason.label())
                .increment();
    }

    @Override
    public int getOrder() {
        return PipelineStage.VALIDATION.order();
    }

    @Override
    public String toString() {
        return "PayloadValidation[" + description + "]";
    }
}
