package io.payegress.filters.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.verification.ResponseVerifier;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML {@code WeChatPayForward}: sends the signed request to the route's WeChat Pay base URL with per-route
 * timeouts, over the gateway's pooled HTTP client, and verifies the answer.
 */
public final class WeChatPayForwardGatewayFilterFactory
        extends AbstractGatewayFilterFactory<WeChatPayForwardGatewayFilterFactory.Config> {

    private final HttpClient client;
    private final ResponseVerifier verifier;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final String userAgent;
    private final @Nullable String wechatpaySerial;

    public WeChatPayForwardGatewayFilterFactory(
            HttpClient client,
            ResponseVerifier verifier,
            JsonMapper json,
            MeterRegistry meters,
            String userAgent,
            @Nullable String wechatpaySerial) {
        super(Config.class);
        this.client = client;
        this.verifier = verifier;
        this.json = json;
        this.meters = meters;
        this.userAgent = userAgent;
        this.wechatpaySerial = wechatpaySerial == null || wechatpaySerial.isBlank() ? null : wechatpaySerial;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("connectTimeout", "responseTimeout");
    }

    @Override
    public GatewayFilter apply(Config config) {
        ForwardSettings settings = new ForwardSettings(
                config.getConnectTimeout(), config.getResponseTimeout(), userAgent, wechatpaySerial, 64 * 1024);
        return new WeChatPayForwardFilter(client, settings, verifier, json, meters);
    }

    /** Route settings: connect-timeout 2s, response-timeout 3s (per attempt). */
    public static final class Config {
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration responseTimeout = Duration.ofSeconds(3);

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public void setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
        }
    }
}
