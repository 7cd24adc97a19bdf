package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payegress.simulator.coupon.CouponState;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault type, the BEFORE/AFTER phases, counts and path filters, over real HTTP. */
class FaultInjectionTest {

    private static SimulatorFixture fx;

    @BeforeAll
    static void start() {
        fx = new SimulatorFixture();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.reset();
    }

    @Test
    void systemError500IsSignedJson() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.code()).isEqualTo("SYSTEM_ERROR");
        assertThat(fx.verifies(response)).isTrue();
        assertThat(fx.sim.stats().faultsInjected()).isEqualTo(1);
    }

    @Test
    void systemError400IsSignedJson() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_400, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("SYSTEM_ERROR");
        assertThat(fx.verifies(response)).isTrue();
    }

    @Test
    void html502IsAnUnsignedHtmlPage() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.HTML_502, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.text()).contains("502 Bad Gateway");
    }

    @Test
    void empty503HasNoBody() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.EMPTY_503, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void connectionResetClosesWithoutAnswer() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.CONNECTION_RESET, FaultPhase.BEFORE));

        assertThatThrownBy(() -> fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY))
                .isInstanceOf(RuntimeException.class);
        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
    }

    @Test
    void unsigned2xxCarriesNoSignatureHeaders() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.UNSIGNED_2XX, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Wechatpay-Signature")).isNull();
        assertThat(response.header("Wechatpay-Serial")).isNull();
    }

    @Test
    void badSignature2xxFailsVerificationUnderTheRightSerial() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.BAD_SIGNATURE_2XX, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Wechatpay-Serial")).isEqualTo(fx.platform.serial());
        assertThat(response.header("Wechatpay-Signature")).isNotBlank();
        assertThat(fx.verifies(response)).isFalse();
    }

    @Test
    void unknownSerial2xxIsSignedByAnotherKey() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.UNKNOWN_SERIAL_2XX, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Wechatpay-Serial"))
                .startsWith("PUB_KEY_ID_")
                .isNotEqualTo(fx.platform.serial());
        assertThat(fx.verifies(response)).isFalse();
    }

    @Test
    void staleTimestamp2xxIsValidlySignedButTenMinutesOld() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.STALE_TIMESTAMP_2XX, FaultPhase.BEFORE));

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(fx.verifies(response)).isTrue();
        long age = Instant.now().getEpochSecond() - Long.parseLong(response.header("Wechatpay-Timestamp"));
        assertThat(age).isBetween(590L, 700L);
    }

    @ParameterizedTest
    @EnumSource(value = FaultType.class, names = "LATENCY", mode = EnumSource.Mode.EXCLUDE)
    void beforePhaseLeavesTheCouponUntouched(FaultType type) {
        fx.sim.faults().add(FaultSpec.next(1, type, FaultPhase.BEFORE));

        answerOrReset();

        assertThat(fx.sim.state().coupon("sxxe34343434").orElseThrow().state()).isEqualTo(CouponState.SENDED);
        assertThat(fx.sim.stats().redemptions()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = FaultType.class, names = "LATENCY", mode = EnumSource.Mode.EXCLUDE)
    void afterPhaseRedeemsAndTheRetryWithTheSameUseRequestNoIsADuplicate(FaultType type) {
        fx.sim.faults().add(FaultSpec.next(1, type, FaultPhase.AFTER));

        answerOrReset();
        SimClient.Response retry = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(fx.sim.state().coupon("sxxe34343434").orElseThrow().state()).isEqualTo(CouponState.USED);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(fx.verifies(retry)).isTrue();
        assertThat(fx.sim.stats().redemptions()).isEqualTo(1);
        assertThat(fx.sim.stats().duplicateUseRequestNo()).isEqualTo(1);
    }

    @Test
    void afterPhaseForgedSuccessCarriesTheRealRedemptionBody() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.UNSIGNED_2XX, FaultPhase.AFTER));

        SimClient.Response forged = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        SimClient.Response retry = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(forged.body()).isEqualTo(retry.body());
    }

    @Test
    void countedFaultHitsOnlyTheNextNCalls() {
        fx.sim.faults().add(FaultSpec.next(2, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE));

        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(500);
        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(500);
        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
        assertThat(fx.sim.faults().active()).isEmpty();
    }

    @Test
    void untilClearedFaultHitsEveryCallUntilCleared() {
        fx.sim.faults().add(FaultSpec.untilCleared(FaultType.EMPTY_503, FaultPhase.BEFORE));
        for (int i = 0; i < 3; i++) {
            assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                    .isEqualTo(503);
        }

        fx.sim.faults().clear();

        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
    }

    @Test
    void pathFilteredFaultSparesOtherPaths() {
        fx.sim
                .faults()
                .add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                        .onPath(SimClient.RETURN));

        assertThat(fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY).status())
                .isEqualTo(200);
    }

    @Test
    void faultsComeAfterTheSignatureCheck() {
        fx.sim.faults().add(FaultSpec.next(1, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE));

        SimClient.Response unsigned =
                fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY, Map.of("Authorization", "Bearer x"));

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(fx.sim.faults().active()).hasSize(1);
    }

    @Test
    void latencyDelaysTheAnswerAtLeastTheConfiguredTime() {
        fx.sim.faults().add(FaultSpec.latency(300, 1));
        long started = System.nanoTime();

        SimClient.Response response = fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

        assertThat(response.status()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    private static void answerOrReset() {
        try {
            fx.client.post(SimClient.USE, SimulatorFixture.SEED_BODY);
        } catch (RuntimeException reset) {
            // CONNECTION_RESET: no answer is the expected outcome here
        }
    }
}
