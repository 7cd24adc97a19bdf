package io.payegress.testing;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class one real standalone Redis, started before all tests, flushed before each and
 * killed after all (a server a test stopped is restarted before the next test): {@code @RegisterExtension static final RedisExtension REDIS = RedisExtension.standalone();}.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private @Nullable RedisServerFixture server;

    private RedisExtension() {}

    public static RedisExtension standalone() {
        return new RedisExtension();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServerFixture.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisServerFixture running = server();
        if (!running.isRunning()) {
            running.restart();
        }
        running.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server; fails when used outside the test class's lifecycle. */
    public RedisServerFixture server() {
        RedisServerFixture running = server;
        if (running == null) {
            throw new IllegalStateException("RedisExtension is not started: register it as a static field");
        }
        return running;
    }

    public String redisUri() {
        return server().redisUri();
    }

    public String host() {
        return server().host();
    }

    public int port() {
        return server().port();
    }
}
