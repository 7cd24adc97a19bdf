package io.payegress.gateway.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.gateway.idempotency.Pos;
import io.payegress.gateway.idempotency.Pos.Answer;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.WeChatPaySimulator;
import io.payegress.simulator.coupon.Coupon;
import io.payegress.simulator.coupon.CouponState;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import io.payegress.simulator.stats.RecordedRequest;
import io.payegress.testing.RedisServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/**
 * Each way an ambiguous redemption ends, through two replicas on one Redis (FAIL_CLOSED) and the simulator answering a
 * resent use_request_no with RESOURCE_ALREADY_EXISTS: the coupon query turns our own redemption into the POS's success,
 * another order's into 409, and an answer it cannot check into 504 UPSTREAM_OUTCOME_UNKNOWN, never a guess.
 */
class ReconciliationEndToEndTest {

    private static final String STRICT_KEY = "strict-store-key";
    private static final String OPENID = ",\"openid\":\"xsd3434454567676\"";
    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static GatewayInstance first;
    private static GatewayInstance second;

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        Map<String, Object> properties = new HashMap<>();
        properties.put("payegress.state.store", "redis");
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("payegress.budget.max-wait", "5s");
        // Redis stays up here: FAIL_CLOSED lets the dedupe record vouch for a number's history (under FAIL_OPEN_LOCAL a
        // replica may redeem under a local claim, so no history is clean; AmbiguousRedemptionsEndToEndTest runs that)
        properties.put("payegress.idempotency.failure-policy", "FAIL_CLOSED");
        properties.put("payegress.tenants.store-strict.api-key-sha256[0]", sha256(STRICT_KEY));
        properties.put("payegress.tenants.store-strict.appids[0]", "wx1234567889999");
        properties.put("payegress.tenants.store-strict.stocks.100088", "MERCHANT_API");
        properties.put("payegress.tenants.store-strict.openid-required", "true");
        first = bed.startGateway(properties);
        second = bed.startGateway(properties);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        bed.close();
        redis.close();
    }

    @BeforeEach
    void alreadyExistsForResends() {
        await().atMost(Duration.ofSeconds(40)).until(() -> pending(first) == 0 && pending(second) == 0);
        bed.simulator().reset();
        bed.simulator().setResend(ResendBehaviour.ALREADY_EXISTS);
    }

    private static String number() {
        return "rec-" + NUMBERS.incrementAndGet();
    }

    private static String body(String number) {
        return PaymentTestBed.redemption("load-" + number, number);
    }

    private static WeChatPaySimulator sim() {
        return bed.simulator();
    }

    private static void onUse(FaultSpec fault) {
        sim().faults().add(fault.onPath(WeChatPaySimulator.USE_PATH));
    }

    private static Coupon coupon(String number) {
        return sim().state().coupon("load-" + number).orElseThrow();
    }

    @Test
    void aResendAnsweredAlreadyExistsAfterACommittedAttemptIsTheRedemptionsSuccess() {
        String number = number();
        onUse(FaultSpec.next(1, FaultType.CONNECTION_RESET, FaultPhase.AFTER));
        double before = reconciled(first, "already_exists", "redeemed");

        Answer answer = Pos.redeem(first, body(number));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode success = answer.json();
        assertThat(success.get("stock_id").asString()).isEqualTo("100088");
        assertThat(success.get("openid").asString()).isEqualTo("xsd3434454567676");
        assertThat(success.get("wechatpay_use_time").asString())
                .isEqualTo(coupon(number).wechatpayUseTime());
        assertThat(coupon(number).useRequestNo()).isEqualTo(number);
        assertThat(sim().stats().totalCalls()).isEqualTo(2);
        assertThat(sim().stats().queries()).isEqualTo(1);
        assertThat(sim().stats().redemptions()).isEqualTo(1);
        assertThat(reconciled(first, "already_exists", "redeemed")).isEqualTo(before + 1);

        Answer again = Pos.redeem(second, body(number));
        assertThat(again.isReplay()).isTrue();
        assertThat(again.body()).isEqualTo(answer.body());
        assertThat(sim().stats().totalCalls()).isEqualTo(2);
    }

    @Test
    void theQueryIsSignedLikeAnyV3CallAndItsAnswerVerified() {
        onUse(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.AFTER));
        String number = number();

        assertThat(Pos.redeem(first, body(number)).status()).isEqualTo(200);

        RecordedRequest query = sim().recordedRequests().stream()
                .filter(request -> request.method().equals("GET"))
                .findFirst()
                .orElseThrow();
        assertThat(query.path())
                .isEqualTo("/v3/marketing/busifavor/users/xsd3434454567676/coupons/load-" + number
                        + "/appids/wx1234567889999");
        assertThat(query.header("Authorization"))
                .hasValueSatisfying(
                        auth -> assertThat(auth).startsWith("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\""));
        assertThat(query.header("Accept")).contains("application/json");
        assertThat(query.header("User-Agent")).isPresent();
        assertThat(query.header("Wechatpay-Serial")).contains(sim().platformPublicKeyId());
        assertThat(sim().stats().signatureFailures()).isZero();
    }

    @Test
    void anUnknownOutcomeIsFoundLaterAndTheResendGetsItWithoutAnotherRedemptionAttempt() {
        String number = number();
        onUse(FaultSpec.next(3, FaultType.CONNECTION_RESET, FaultPhase.AFTER));
        double found = reconciled(first, "unknown_outcome", "redeemed");
        double unknowns = counted(first, "payegress.unknown.outcomes");

        Answer unknown = Pos.redeem(first, body(number));
        assertThat(unknown.status()).isEqualTo(504);
        assertThat(unknown.json().get("code").asString()).isEqualTo("UPSTREAM_OUTCOME_UNKNOWN");
        assertThat(unknown.json().get("retryable").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> reconciled(first, "unknown_outcome", "redeemed") == found + 1);

        Answer resent = Pos.redeem(second, body(number));

        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.isReplay()).isTrue();
        assertThat(resent.json().get("wechatpay_use_time").asString())
                .isEqualTo(coupon(number).wechatpayUseTime());
        assertThat(sim().stats().totalCalls()).isEqualTo(3);
        assertThat(sim().stats().redemptions()).isEqualTo(1);
        assertThat(counted(first, "payegress.unknown.outcomes")).isEqualTo(unknowns + 1);
    }

    @Test
    void aResendOnAnotherReplicaAfterAnUnsettledUnknownOutcomeLearnsOfTheAttemptAndReconcilesItself() {
        String number = number();
        onUse(FaultSpec.next(3, FaultType.CONNECTION_RESET, FaultPhase.AFTER));
        sim().faults()
                .add(FaultSpec.untilCleared(FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath(WeChatPaySimulator.QUERY_PATH));
        double unresolved = reconciled(first, "unknown_outcome", "unresolved");
        double redeemed = reconciled(second, "already_exists", "redeemed");
        assertThat(Pos.redeem(first, body(number)).status()).isEqualTo(504);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> reconciled(first, "unknown_outcome", "unresolved") == unresolved + 1);
        sim().faults().clear();

        Answer resent = Pos.redeem(second, body(number));

        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.isReplay()).isFalse();
        assertThat(resent.json().get("wechatpay_use_time").asString())
                .isEqualTo(coupon(number).wechatpayUseTime());
        assertThat(reconciled(second, "already_exists", "redeemed")).isEqualTo(redeemed + 1);
        assertThat(sim().stats().redemptions()).isEqualTo(1);
    }

    @Test
    void aCouponAnotherOrderUsedStaysAlreadyUsedAfterAnAmbiguousAttempt() {
        sim().faults().add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE));
        double before = reconciled(first, "already_exists", "used_by_another");

        Answer answer = Pos.redeem(first, PaymentTestBed.redemption("used-0001", number()));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("code").asString()).isEqualTo("COUPON_ALREADY_USED");
        assertThat(answer.json().get("retryable").asBoolean()).isFalse();
        assertThat(sim().stats().queries()).isEqualTo(1);
        assertThat(reconciled(first, "already_exists", "used_by_another")).isEqualTo(before + 1);
    }

    @Test
    void aCouponAnotherOrderUsedIsAlreadyUsedWithoutAQueryWhenNoEarlierAttemptCanHaveRedeemedIt() {
        Answer answer = Pos.redeem(first, PaymentTestBed.redemption("used-0001", number()));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("code").asString()).isEqualTo("COUPON_ALREADY_USED");
        assertThat(sim().stats().queries()).isZero();
    }

    @Test
    void anAmbiguousRedemptionWithoutOpenidIsAnswered504RetryableAndCounted() {
        String number = number();
        onUse(FaultSpec.next(1, FaultType.CONNECTION_RESET, FaultPhase.AFTER));
        double before = counted(first, "payegress.reconciliation.openid.missing");

        Answer answer = Pos.redeem(first, body(number).replace(OPENID, ""));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().get("code").asString()).isEqualTo("UPSTREAM_OUTCOME_UNKNOWN");
        assertThat(answer.json().get("retryable").asBoolean()).isTrue();
        assertThat(answer.json().get("upstream").get("code").asString()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(counted(first, "payegress.reconciliation.openid.missing")).isEqualTo(before + 1);
        assertThat(sim().stats().queries()).isZero();
        assertThat(coupon(number).state()).isEqualTo(CouponState.USED);
    }

    @Test
    void whenTheQueryKeepsFailingTheAmbiguousRedemptionIsAnswered504RetryableNeverAlreadyUsed() {
        onUse(FaultSpec.next(1, FaultType.CONNECTION_RESET, FaultPhase.AFTER));
        sim().faults()
                .add(FaultSpec.untilCleared(FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath(WeChatPaySimulator.QUERY_PATH));

        Answer answer = Pos.redeem(first, body(number()));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().get("code").asString()).isEqualTo("UPSTREAM_OUTCOME_UNKNOWN");
        assertThat(answer.json().get("retryable").asBoolean()).isTrue();
        assertThat(sim().stats().queries()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aStoreThatRequiresTheOpenidRefusesARedemptionWithoutItBeforeWeChatPay() {
        WebClient client = WebClient.create(first.baseUrl());

        Answer refused =
                Pos.send(client, body(number()).replace(OPENID, ""), STRICT_KEY).block(Duration.ofSeconds(30));
        Answer taken = Pos.send(client, body(number()), STRICT_KEY).block(Duration.ofSeconds(30));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/openid");
        assertThat(refused.json().get("errors").get(0).get("detail").asString()).contains("openid");
        assertThat(taken.status()).isEqualTo(200);
        assertThat(sim().stats().totalCalls()).isEqualTo(1);
    }

    private static double reconciled(GatewayInstance gateway, String trigger, String result) {
        return gateway
                .bean(MeterRegistry.class)
                .find("payegress.reconciliations")
                .tags("trigger", trigger, "result", result)
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double pending(GatewayInstance gateway) {
        return gateway.bean(MeterRegistry.class)
                .get("payegress.reconciliation.pending")
                .gauge()
                .value();
    }

    private static double counted(GatewayInstance gateway, String meter) {
        return gateway.bean(MeterRegistry.class).find(meter).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
