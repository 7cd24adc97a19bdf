package io.payegress.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} process on a given port, without persistence, bound to 127.0.0.1. Start waits for the
 * server's own "Ready to accept connections" line (bounded), then checks PING; every live process is destroyed on
 * close and, as a safety net, on JVM exit.
 */
final class RedisProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free port; extraArgs are appended to the command line (e.g. cluster options). */
    static RedisProcess start(Path dir, List<String> extraArgs) {
        RedisProcess redis = new RedisProcess(freePort(), dir, extraArgs);
        redis.launch();
        return redis;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(RedisBinary.path().toString(), "--port", String.valueOf(port)));
        command.addAll(List.of("--bind", "127.0.0.1", "--protected-mode", "no", "--save", "", "--appendonly", "no"));
        command.addAll(List.of("--dir", dir.toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        LIVE.add(process);
        awaitReady(process);
    }

    private void awaitReady(Process started) {
        CountDownLatch ready = new CountDownLatch(1);
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(started, ready, tail), "redis-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean up = ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && started.isAlive();
            if (!up) {
                kill();
                throw new IllegalStateException("redis-server on port " + port + " did not become ready within "
                        + START_TIMEOUT + "; last output: " + snapshot(tail));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
        try (RespConnection conn = RespConnection.open("127.0.0.1", port)) {
            conn.text("PING");
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " is up but does not answer PING", e);
        }
    }

    private static void pump(Process started, CountDownLatch ready, Deque<String> tail) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
                if (line.contains("Ready to accept connections")) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended; the waiting side reports it
        }
        ready.countDown();
    }

    private static String snapshot(Deque<String> tail) {
        synchronized (tail) {
            return String.join(" | ", tail);
        }
    }

    /** Kills the server at once (no shutdown save), as a crash or network loss would look to clients. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
        process = null;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
