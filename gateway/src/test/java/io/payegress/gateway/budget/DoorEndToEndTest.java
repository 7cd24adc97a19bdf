package io.payegress.gateway.budget;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantDirectory;
import io.payegress.gateway.support.AccessLines;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The door end to end: a request the coupons/use route's admission would refuse at once is refused before the
 * route's stages, with the answer, the access line and the request metric the pipeline gives such a refusal.
 */
class DoorEndToEndTest {

    @TempDir
    static Path keys;

    private static PaymentTestBed bed;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() {
        bed = PaymentTestBed.start(keys, 0);
        gateway = bed.startGateway(Map.of("payegress.budget.coupons-use.limit", 1));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        bed.close();
    }

    private static WebTestClient.ResponseSpec redeem(String requestId) {
        return gateway.client()
                .post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .header("X-Request-Id", requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PaymentTestBed.freshRedemption().getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    @Test
    void aTenantOverItsShareOfTheSaturatedBudgetIsRefusedAtTheDoorAsItsAdmissionWouldRefuseIt() throws IOException {
        // one redemption through the route first: the gateway's metrics filter times its answer
        redeem("pos-route-1").expectStatus().isOk();
        BudgetLimiter limiter =
                gateway.bean(BudgetLimiters.class).find("coupons-use").orElseThrow();
        Tenant tenant = gateway.bean(TenantDirectory.class).tenants().iterator().next();
        // the tenant asks the budget of 1/s fifty times a second, as a busy till would, until its admission refuses it
        Disposable busy = Flux.interval(Duration.ofMillis(20))
                .subscribe(tick ->
                        limiter.acquire("busifavor-coupons-use", tenant, null).subscribe(permit -> {}, refused -> {}));
        try (AccessLines access = new AccessLines()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !limiter.admissible(tenant));

            redeem("pos-door-1")
                    .expectStatus()
                    .isEqualTo(429)
                    .expectHeader()
                    .valueEquals("X-Request-Id", "pos-door-1")
                    .expectHeader()
                    .valueEquals("Retry-After", "1")
                    .expectBody()
                    .jsonPath("$.code")
                    .isEqualTo("RATE_LIMITED")
                    .jsonPath("$.retryable")
                    .isEqualTo(true)
                    .jsonPath("$.request_id")
                    .isEqualTo("pos-door-1");

            assertThat(access.lineOf("pos-door-1"))
                    .contains(" route=busifavor-coupons-use ")
                    .contains(" status=429 outcome=RATE_LIMITED ")
                    .containsPattern(" queued_ms=\\d+ ")
                    .endsWith(" stages_ms=authentication:0,admission:0");
            // a request whose body comes after the door has answered its headers, and the next on its connection:
            // the web server reads only when it asks, and never saw either, so the door asks for the reads
            try (Socket till = new Socket("127.0.0.1", gateway.port())) {
                till.setSoTimeout(10_000);
                OutputStream out = till.getOutputStream();
                out.write(headers("pos-door-2", 2));
                out.flush();
                assertThat(answer(till)).startsWith("HTTP/1.1 429 ");
                out.write("{}".getBytes(StandardCharsets.US_ASCII));
                out.write(headers("pos-door-3", 2));
                out.write("{}".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(answer(till)).startsWith("HTTP/1.1 429 ").contains("X-Request-Id: pos-door-3");
            }
        } finally {
            busy.dispose();
        }
        String metrics = gateway.client()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        List<String> series = metrics.lines()
                .filter(line -> line.startsWith("spring_cloud_gateway_requests_seconds_count{"))
                .toList();
        assertThat(series)
                .as("the route's answer, timed by the gateway's metrics filter, and the door's, timed with its tags")
                .anySatisfy(line -> assertThat(line).contains("httpStatusCode=\"200\""))
                .anySatisfy(line -> assertThat(line)
                        .contains("httpStatusCode=\"429\"")
                        .contains("routeId=\"busifavor-coupons-use\"")
                        .endsWith(" 3"));
        assertThat(series.stream().map(DoorEndToEndTest::labelNames).distinct())
                .as("one set of labels for both")
                .hasSize(1);
        assertThat(bed.simulator().stats().redemptions())
                .as("only the route's redemption reached WeChat: the till's own asks never leave the budget")
                .isEqualTo(1);
    }

    private static byte[] headers(String requestId, int contentLength) {
        return ("POST " + USE_PATH + " HTTP/1.1\r\nHost: payegress\r\nAuthorization: Bearer " + DEMO_API_KEY
                        + "\r\nX-Request-Id: " + requestId + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One answer read from the socket: its status line and headers, then as many body bytes as it says. */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed after " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertThat(length.find()).as("a length in %s", head).isTrue();
        in.readNBytes(Integer.parseInt(length.group(1)));
        return head.toString();
    }

    private static List<String> labelNames(String series) {
        return Pattern.compile("([A-Za-z_]+)=\"")
                .matcher(series)
                .results()
                .map(match -> match.group(1))
                .toList();
    }
}
