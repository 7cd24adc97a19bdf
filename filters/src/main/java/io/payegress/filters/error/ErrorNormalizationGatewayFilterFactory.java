package io.payegress.filters.error;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/** YAML {@code ErrorNormalization}: every failure of the route leaves in the merchant's error schema. */
public final class ErrorNormalizationGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final MerchantErrorResponder responder;

    public ErrorNormalizationGatewayFilterFactory(MerchantErrorResponder responder) {
        super(Object.class);
        this.responder = responder;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new ErrorNormalizationFilter(responder);
    }
}
