package io.payegress.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real Redis for a test: Testcontainers (redis:7-alpine) where a Docker engine answers, else a redis-server process
 * on a free port (PATH /usr/bin/redis-server, else the binary shipped in com.github.codemonstur:embedded-redis). Never
 * skips: if none can start, it throws with a clear message.
 */
public final class RedisServerFixture implements AutoCloseable {

    private final RedisBackend backend;
    private volatile boolean running = true;

    private RedisServerFixture(RedisBackend backend) {
        this.backend = backend;
    }

    /** Starts a standalone server; set {@code -Dpayegress.redis.fixture=process} to bypass Docker. */
    public static RedisServerFixture start() {
        if (ContainerRedisBackend.dockerAvailable()) {
            return new RedisServerFixture(ContainerRedisBackend.start());
        }
        return new RedisServerFixture(ProcessRedisBackend.start());
    }

    public String host() {
        return backend.host();
    }

    public int port() {
        return backend.port();
    }

    /** The URI for clients, e.g. {@code redis://127.0.0.1:6379}. */
    public String redisUri() {
        return "redis://" + host() + ":" + port();
    }

    /** Kills the server to test Redis loss; the port is kept for {@link #restart()}. */
    public void stop() {
        running = false;
        backend.stop();
    }

    /** Starts the server again on the same port, with empty data. */
    public void restart() {
        backend.restart();
        running = true;
    }

    /** False between {@link #stop()} and {@link #restart()}. */
    public boolean isRunning() {
        return running;
    }

    /** Deletes every key. */
    public void flushAll() {
        try (RespConnection conn = RespConnection.open(host(), port())) {
            conn.text("FLUSHALL");
        } catch (IOException e) {
            throw new UncheckedIOException("FLUSHALL on " + redisUri() + " failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        backend.close();
    }
}
