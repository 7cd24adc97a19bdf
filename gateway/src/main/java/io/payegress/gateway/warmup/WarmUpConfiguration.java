package io.payegress.gateway.warmup;

import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.NonceGenerator;
import io.payegress.filters.signing.RequestSigner;
import io.payegress.gateway.redis.StateProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/** The replica's warm-up before readiness ({@link WarmUp}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmUpProperties.class)
public class WarmUpConfiguration {

    /** With the client and event loop of WeChat's calls, the merchant key, and Redis when the state is kept there. */
    @Bean
    WarmUp warmUp(
            WarmUpProperties settings,
            HttpClient gatewayHttpClient,
            LoopResources upstreamLoops,
            StateProperties state,
            ObjectProvider<ReactiveRedisConnectionFactory> redis,
            MerchantKeySource keys,
            Clock clock,
            ApplicationContext context) {
        return new WarmUp(
                settings,
                gatewayHttpClient.runOn(upstreamLoops),
                state.store() == StateProperties.Store.REDIS ? redis.getIfAvailable() : null,
                keys,
                new RequestSigner(clock, new NonceGenerator()),
                () -> context instanceof WebServerApplicationContext web && web.getWebServer() != null
                        ? web.getWebServer().getPort()
                        : -1);
    }
}
