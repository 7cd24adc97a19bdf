package io.payegress.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A standalone redis-server process (PATH or the embedded-redis binary). */
final class ProcessRedisBackend implements RedisBackend {

    private final RedisProcess process;

    private ProcessRedisBackend(RedisProcess process) {
        this.process = process;
    }

    static ProcessRedisBackend start() {
        return new ProcessRedisBackend(RedisProcess.start(scratchDir(), List.of()));
    }

    static Path scratchDir() {
        try {
            Path dir = Files.createTempDirectory("payegress-redis");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return process.port();
    }

    @Override
    public void stop() {
        process.kill();
    }

    @Override
    public void restart() {
        process.kill();
        process.launch();
    }

    @Override
    public void close() {
        process.kill();
    }
}
