package io.payegress.filters.context;

import java.time.Clock;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/** YAML {@code RequestContext}: request id taken or generated, echoed on every response, one access-log line. */
public final class RequestContextGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final Clock clock;

    public RequestContextGatewayFilterFactory(Clock clock) {
        super(Object.class);
        this.clock = clock;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new RequestContextFilter(clock);
    }
}
