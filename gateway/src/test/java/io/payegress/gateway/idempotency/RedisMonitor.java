package io.payegress.gateway.idempotency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the commands clients send to Redis on keys with one prefix, through {@code MONITOR} on its own socket:
 * round trips of one stage (the dedupe records) apart from others on the same Redis (the budget), and apart from
 * the commands a script runs inside Redis (MONITOR shows those as {@code [db lua]}, they cost no round trip).
 */
final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final String quotedPrefix;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private RedisMonitor(Socket socket, String keyPrefix) {
        this.socket = socket;
        this.quotedPrefix = "\"" + keyPrefix;
    }

    static RedisMonitor start(String host, int port, String keyPrefix) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            RedisMonitor monitor = new RedisMonitor(socket, keyPrefix);
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (!"+OK".equals(in.readLine())) {
                throw new IllegalStateException("MONITOR was refused");
            }
            Thread reader = new Thread(() -> monitor.read(in), "redis-monitor");
            reader.setDaemon(true);
            reader.start();
            return monitor;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                count(line);
            }
        } catch (IOException closed) {
            // the monitor was closed
        }
    }

    /** A line is {@code +<time> [<db> <client>] "<command>" "<arg>" ...}; script-internal lines say {@code lua]}. */
    private void count(String line) {
        int bracket = line.indexOf(']');
        if (bracket < 0 || line.substring(0, bracket).endsWith(" lua") || !line.contains(quotedPrefix)) {
            return;
        }
        int start = line.indexOf('"', bracket) + 1;
        String command = line.substring(start, line.indexOf('"', start)).toLowerCase();
        counts.computeIfAbsent(command, c -> new LongAdder()).increment();
    }

    void reset() {
        counts.clear();
    }

    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((command, n) -> snapshot.put(command, n.sum()));
        return snapshot;
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test probe cannot fail a test
        }
    }
}
