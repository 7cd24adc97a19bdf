package io.payegress.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client for fixture administration (PING, FLUSHALL, CLUSTER ...), so the fixtures depend on
 * no Redis client library and cannot be broken by the code under test.
 */
final class RespConnection implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RespConnection open(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new RespConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and returns its reply: String, Long, byte[] (bulk), List, or null; errors are thrown. */
    Object command(String... args) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                buf.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buf.writeBytes(bytes);
                buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buf.toByteArray());
            out.flush();
            return reply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply of a command whose answer is text (simple string or bulk). */
    String text(String... args) {
        Object reply = command(args);
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private Object reply() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$':
                return bulk(Integer.parseInt(line));
            case '*':
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(reply());
                }
                return items;
            default:
                throw new IOException("unexpected RESP type " + type);
        }
    }

    private byte[] bulk(int length) throws IOException {
        if (length < 0) {
            return new byte[0];
        }
        byte[] bytes = in.readNBytes(length);
        line();
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed by Redis");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a fixture connection cannot fail a test
        }
    }
}
