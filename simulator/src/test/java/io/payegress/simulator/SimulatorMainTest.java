package io.payegress.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.simulator.signing.KeyMaterial;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {

    @Test
    void standaloneStartsWithGeneratedKeysWrittenToFilesAndRedeemsTheSeedExample(@TempDir Path dir) {
        Path platformPublic = dir.resolve("platform_pub.pem");
        Path merchantPrivate = dir.resolve("apiclient_key.pem");
        String[] args = {
            "--port=0",
            "--host=127.0.0.1",
            "--limit=300",
            "--merchant-serial=ABCDEF0123456789",
            "--platform-public-key-id=PUB_KEY_ID_0114232134912410000000000000",
            "--platform-public-key-out=" + platformPublic,
            "--merchant-private-key-out=" + merchantPrivate
        };

        try (WeChatPaySimulator sim = SimulatorMain.start(args, Map.of("SIM_LIMIT", "100", "SIM_DEMO_SEED", "true"))) {
            SimClient client = new SimClient(
                    sim.baseUrl(),
                    new TestSigner("1900000001", "ABCDEF0123456789", KeyMaterial.readPrivateKey(merchantPrivate)),
                    Clock.systemUTC());

            SimClient.Response response = client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Wechatpay-Serial")).isEqualTo("PUB_KEY_ID_0114232134912410000000000000");
            assertThat(TestSigner.verifyResponse(
                            KeyMaterial.readPublicKey(platformPublic),
                            response.header("Wechatpay-Timestamp"),
                            response.header("Wechatpay-Nonce"),
                            response.body(),
                            response.header("Wechatpay-Signature")))
                    .isTrue();
            assertThat(sim.stats().limitPerSecond()).isEqualTo(300);
        }
    }

    @Test
    void environmentConfiguresWhenNoArgumentsGiven(@TempDir Path dir) {
        KeyMaterial merchant = KeyMaterial.generate();
        Path merchantPublic = merchant.writePublicKeyPem(dir.resolve("merchant_pub.pem"));
        Map<String, String> env = Map.of(
                "SIM_PORT", "0",
                "SIM_HOST", "127.0.0.1",
                "SIM_LIMIT", "42",
                "SIM_MERCHANT_PUBLIC_KEY", merchantPublic.toString(),
                "SIM_MERCHANT_SERIAL", merchant.serial(),
                "SIM_DEMO_SEED", "false");

        try (WeChatPaySimulator sim = SimulatorMain.start(new String[0], env)) {
            SimClient client = new SimClient(
                    sim.baseUrl(),
                    new TestSigner("1900000001", merchant.serial(), merchant.privateKey()),
                    Clock.systemUTC());

            SimClient.Response response = client.post(SimClient.USE, SimulatorFixture.SEED_BODY);

            assertThat(sim.stats().limitPerSecond()).isEqualTo(42);
            assertThat(response.code()).isEqualTo("MCH_NOT_EXISTS");
        }
    }
}
