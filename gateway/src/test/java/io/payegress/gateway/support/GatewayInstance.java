package io.payegress.gateway.support;

import io.payegress.gateway.PayegressApplication;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One running gateway (its own Spring context and port) inside a test JVM; several can share a simulator and Redis. */
public final class GatewayInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private GatewayInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts a gateway; the properties win over every configuration file (server.port defaults to a free port). */
    public static GatewayInstance start(Map<String, Object> properties, String... profiles) {
        Map<String, Object> all = new TreeMap<>(Map.of("server.port", "0"));
        all.putAll(properties);
        String[] args = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PayegressApplication.class)
                .profiles(profiles)
                .run(args);
        return new GatewayInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public WebTestClient client() {
        return WebTestClient.bindToServer()
                .baseUrl(baseUrl())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * A crash without cleanup, as after kill -9: the Redis client is cut first (so not even a release on
     * cancellation reaches Redis), then the web server stops at once. The context is not closed: in one JVM,
     * closing it disposes Reactor Netty's shared event loops and would take the other instances down; close it
     * after the test.
     */
    public void crash() {
        context.getBean(LettuceConnectionFactory.class).stop();
        ((WebServerApplicationContext) context).getWebServer().stop();
    }

    @Override
    public void close() {
        context.close();
    }
}
