package io.payegress.filters.body;

import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.util.unit.DataSize;

/** YAML {@code RequestBody=16KB}: reads the JSON body once, refusing other media types and bodies over the cap. */
public final class RequestBodyGatewayFilterFactory
        extends AbstractGatewayFilterFactory<RequestBodyGatewayFilterFactory.Config> {

    public RequestBodyGatewayFilterFactory() {
        super(Config.class);
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("maxSize");
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new RequestBodyFilter(Math.toIntExact(config.getMaxSize().toBytes()));
    }

    /** Route settings: {@code max-size}, default 16KB. */
    public static final class Config {
        private DataSize maxSize = DataSize.ofKilobytes(16);

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }
    }
}
