package io.payegress.gateway.egress;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.SEED_BODY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.support.AccessLines;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import io.payegress.simulator.stats.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.webflux.actuate.endpoint.web.WebFluxEndpointHandlerMapping;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The signed and verified egress path end to end: gateway, embedded simulator, real signatures both ways. */
class EgressPathTest {

    @TempDir
    static Path keys;

    private static PaymentTestBed bed;
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() {
        bed = PaymentTestBed.start(keys, 0);
        gateway = bed.startGateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        bed.close();
    }

    @BeforeEach
    void resetSimulator() {
        bed.simulator().reset();
    }

    private static WebTestClient.ResponseSpec redeem(String body) {
        return gateway.client()
                .post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .header("Cookie", "session=pos-secret")
                .header("X-Internal-Till", "till-7")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    @Test
    void redeemsTheSeedExampleWithAVerifiedSignature() {
        redeem(SEED_BODY)
                .expectStatus()
                .isOk()
                .expectHeader()
                .exists("X-Request-Id")
                .expectHeader()
                .exists("X-Upstream-Request-Id")
                .expectBody()
                .jsonPath("$.stock_id")
                .isEqualTo("100088")
                .jsonPath("$.openid")
                .isEqualTo("xsd3434454567676")
                .jsonPath("$.wechatpay_use_time")
                .exists();

        assertThat(bed.simulator().stats().redemptions()).isEqualTo(1);
        assertThat(bed.simulator().stats().verifiedSignatures()).isEqualTo(1);
        assertThat(bed.simulator().stats().signatureFailures()).isZero();
    }

    @Test
    void writesOneAccessLineThatSaysWhereTheRequestsTimeWent() {
        try (AccessLines access = new AccessLines()) {
            // a fresh use_request_no: a replay of one redeemed by an earlier test ends at the dedupe stage
            String line = access.lineOf(
                    redeem(PaymentTestBed.freshRedemption()).expectStatus().isOk());

            assertThat(line)
                    .contains(" status=200 outcome=ok ")
                    .containsPattern(" queued_ms=\\d+ ")
                    .containsPattern(" stages_ms=authentication:\\d+,admission:\\d+,signing_admission:\\d+,"
                            + "request_body:\\d+,validation:\\d+,idempotency:\\d+,retry:\\d+,reconciliation:\\d+,"
                            + "signing:\\d+,budget:\\d+,forward:\\d+$");
        }
    }

    @Test
    void refusedBeforeItsBodyTheAccessLineNamesOnlyTheStagesReached() {
        try (AccessLines access = new AccessLines()) {
            String line = access.lineOf(gateway.client()
                    .post()
                    .uri(USE_PATH)
                    .header("Authorization", "Bearer not-a-key")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(SEED_BODY.getBytes(StandardCharsets.UTF_8))
                    .exchange()
                    .expectStatus()
                    .isUnauthorized());

            assertThat(line)
                    .contains(" status=401 ")
                    .contains(" queued_ms=- ")
                    .containsPattern(" stages_ms=authentication:\\d+$");
        }
    }

    @Test
    void forwardsTheBodyBytesUnchangedAndNoneOfThePosCredentials() {
        String spaced = PaymentTestBed.freshRedemption().replace(",", " ,\n  ");
        redeem(spaced).expectStatus().isOk();

        RecordedRequest sent = lastRecorded();
        assertThat(sent.body()).isEqualTo(spaced.getBytes(StandardCharsets.UTF_8));
        assertThat(sent.headers().keySet())
                .map(String::toLowerCase)
                .doesNotContain("cookie", "x-internal-till", "x-request-id")
                .contains("authorization", "accept", "user-agent", "content-type", "wechatpay-serial");
        assertThat(String.join(
                        ",",
                        sent.headers().entrySet().stream()
                                .filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                                .flatMap(e -> e.getValue().stream())
                                .toList()))
                .startsWith("WECHATPAY2-SHA256-RSA2048 ")
                .doesNotContain(DEMO_API_KEY);
    }

    @ParameterizedTest
    @EnumSource(
            value = FaultType.class,
            names = {"UNSIGNED_2XX", "BAD_SIGNATURE_2XX", "UNKNOWN_SERIAL_2XX", "STALE_TIMESTAMP_2XX"})
    void treatsAnUnverifiableSuccessAsSignatureInvalid(FaultType forged) {
        bed.simulator().faults().add(FaultSpec.next(1, forged, FaultPhase.AFTER));

        redeem(PaymentTestBed.freshRedemption())
                .expectStatus()
                .isEqualTo(502)
                .expectHeader()
                .contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("UPSTREAM_SIGNATURE_INVALID")
                .jsonPath("$.retryable")
                .isEqualTo(true)
                .jsonPath("$.request_id")
                .exists();
    }

    @Test
    void retriesASystemErrorWithTheSameBodyAndSucceeds() {
        bed.simulator().faults().add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE));

        redeem(PaymentTestBed.freshRedemption()).expectStatus().isOk();

        List<RecordedRequest> sent = bed.simulator().recordedRequests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).body()).isEqualTo(sent.get(1).body());
        assertThat(bed.simulator().stats().redemptions()).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownApiKeyWithoutCallingWeChat() {
        gateway.client()
                .post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer not-a-key")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(SEED_BODY)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("UNAUTHENTICATED");
        assertThat(bed.simulator().stats().totalCalls()).isZero();
    }

    @Test
    void echoesASaneRequestId() {
        gateway.client()
                .post()
                .uri(USE_PATH)
                .header("X-Request-Id", "pos-till-7-000123")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(SEED_BODY)
                .exchange()
                .expectHeader()
                .valueEquals("X-Request-Id", "pos-till-7-000123")
                .expectBody()
                .jsonPath("$.request_id")
                .isEqualTo("pos-till-7-000123");
    }

    @Test
    void answersUnknownPathsInTheMerchantShape() {
        gateway.client()
                .post()
                .uri("/v3/pay/transactions/jsapi")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void looksUpTheRoutesBeforeTheActuatorsEndpointsAndStillServesThem() {
        assertThat(gateway.bean(RoutePredicateHandlerMapping.class).getOrder())
                .isLessThan(gateway.bean(WebFluxEndpointHandlerMapping.class).getOrder());
        gateway.client()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(scrape -> assertThat(scrape).contains("payegress_budget"));
    }

    private static RecordedRequest lastRecorded() {
        List<RecordedRequest> sent = bed.simulator().recordedRequests();
        assertThat(sent).isNotEmpty();
        return sent.get(sent.size() - 1);
    }
}
