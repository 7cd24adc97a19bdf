package io.payegress.gateway.support;

import io.payegress.gateway.PayegressApplication;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One running gateway (its own Spring context and port) inside a test JVM; several can share a simulator and Redis. */
public final class GatewayInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;
    private final ApplicationAvailability availability;

    private GatewayInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.availability = context.getBean(ApplicationAvailability.class);
    }

    /**
     * Starts a gateway; the properties win over every configuration file (server.port defaults to a free port, and the
     * warm-up before readiness is off unless {@code payegress.warmup.rounds} is given: WarmUpTest covers it).
     */
    public static GatewayInstance start(Map<String, Object> properties, String... profiles) {
        Map<String, Object> all = new TreeMap<>(Map.of("server.port", "0", "payegress.warmup.rounds", "0"));
        all.putAll(properties);
        String[] args = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PayegressApplication.class)
                .profiles(profiles)
                .run(args);
        return new GatewayInstance(context);
    }

    /** The port it was started on (still known after {@link #close()}). */
    public int port() {
        return port;
    }

    /**
     * Whether its readiness state (what {@code /actuator/health/readiness} reports) accepts traffic: false from the
     * first step of a graceful {@link #close()} on, before the web server stops taking requests.
     */
    public boolean ready() {
        return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    /** Runs {@code action} on the closing thread the moment its readiness goes down (REFUSING_TRAFFIC). */
    public void onReadinessDown(Runnable action) {
        context.addApplicationListener(event -> {
            if (event instanceof AvailabilityChangeEvent<?> change
                    && change.getState() == ReadinessState.REFUSING_TRAFFIC) {
                action.run();
            }
        });
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

    /**
     * Closes the context as SIGTERM does: readiness goes down, the web server drains its requests, then the rest
     * stops in phase order. With {@link OwnEventLoops} the other instances in the JVM keep running.
     */
    @Override
    public void close() {
        context.close();
    }
}
