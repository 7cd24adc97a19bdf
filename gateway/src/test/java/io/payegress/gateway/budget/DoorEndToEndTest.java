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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    void aTenantOverItsShareOfTheSaturatedBudgetIsRefusedAtTheDoorAsItsAdmissionWouldRefuseIt() {
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
                        .endsWith(" 1"));
        assertThat(series.stream().map(DoorEndToEndTest::labelNames).distinct())
                .as("one set of labels for both")
                .hasSize(1);
        assertThat(bed.simulator().stats().redemptions())
                .as("only the route's redemption reached WeChat: the till's own asks never leave the budget")
                .isEqualTo(1);
    }

    private static List<String> labelNames(String series) {
        return Pattern.compile("([A-Za-z_]+)=\"")
                .matcher(series)
                .results()
                .map(match -> match.group(1))
                .toList();
    }
}
