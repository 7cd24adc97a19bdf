package io.payegress.gateway.support;

import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives one gateway in a test JVM its own Reactor Netty event loops, as a pod has: by default every instance serves
 * on Reactor Netty's global loops and closing one context disposes them under the others. Added to a gateway with
 * {@link #PROPERTIES}; Boot's own resource factory steps aside for this bean.
 */
@Configuration(proxyBeanMethods = false)
public class OwnEventLoops {

    /** The property that adds this configuration to a gateway started by {@link GatewayInstance#start}. */
    public static final Map<String, Object> PROPERTIES = Map.of("spring.main.sources", OwnEventLoops.class.getName());

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        // the loops stop after the web server has drained (phase 0): no quiet period to wait out
        factory.setShutdownQuietPeriod(Duration.ZERO);
        return factory;
    }
}
