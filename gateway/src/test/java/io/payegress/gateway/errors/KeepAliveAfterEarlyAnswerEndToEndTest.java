package io.payegress.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.support.GatewayInstance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A POS's keep-alive connection keeps being read after answers the gateway gives at once: before the body is read (an
 * unknown key) and for requests that waited behind another on the same connection.
 */
class KeepAliveAfterEarlyAnswerEndToEndTest {

    private static final int ROUNDS = 30;
    /** Far longer than any of these answers takes; a connection that stopped reading never answers. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private static final byte[] NOT_JSON = request(ErrorScenario.API_KEY, "text/plain", "x=1");

    @TempDir
    static Path directory;

    private static SimulatedWeChat wechat;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() {
        wechat = SimulatedWeChat.start(directory.resolve("keys"));
        gateway = GatewayInstance.start(wechat.gatewayProperties(ErrorScenarios.RESPONSE_TIMEOUT), "local");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        wechat.close();
    }

    /** Unknown key: answered 401 before its body is read; the body comes after the answer, then the next request. */
    @Test
    void aRequestAnsweredBeforeItsBodyWasReadLeavesTheConnectionReading() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = connect()) {
                String body = ErrorScenario.body("demo-0020", null, "wx", null, "r-" + round);
                write(socket, head("not-a-key", "application/json", body.length()));
                assertThat(readAnswer(socket)).startsWith("HTTP/1.1 401");
                write(socket, body.getBytes(StandardCharsets.UTF_8), NOT_JSON);
                assertThat(readAnswer(socket)).as("round " + round).startsWith("HTTP/1.1 415");
            }
        }
    }

    /**
     * Two requests queued behind a redemption on its way to WeChat are answered at once when their turn comes; the
     * connection must read the request after them (with Reactor Netty 1.3.6 it stopped reading, reactor-netty#4361).
     */
    @Test
    void requestsQueuedBehindACallToWeChatLeaveTheConnectionReading() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = connect()) {
                ErrorScenario.Request redemption =
                        ErrorScenario.redeem("demo-0001").withFreshUseRequestNo();
                write(
                        socket,
                        request(ErrorScenario.API_KEY, "application/json", redemption.body()),
                        NOT_JSON,
                        NOT_JSON);
                assertThat(readAnswer(socket)).startsWith("HTTP/1.1 ");
                assertThat(readAnswer(socket)).startsWith("HTTP/1.1 415");
                assertThat(readAnswer(socket)).startsWith("HTTP/1.1 415");
                write(socket, NOT_JSON);
                assertThat(readAnswer(socket)).as("round " + round).startsWith("HTTP/1.1 415");
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static void write(Socket socket, byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.write(part);
        }
        OutputStream out = socket.getOutputStream();
        out.write(all.toByteArray());
        out.flush();
    }

    private static byte[] head(String key, String type, int length) {
        return ("POST " + ErrorScenario.USE_PATH + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] request(String key, String type, String body) {
        return (new String(head(key, type, body.length()), StandardCharsets.UTF_8) + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Status line, headers and a Content-Length body; the answer's text. */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }
}
