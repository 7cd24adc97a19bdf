package io.payegress.simulator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMaterialTest {

    @Test
    void pemFilesRoundTripAndSignaturesVerifyAcrossThem(@TempDir Path dir) throws Exception {
        KeyMaterial key = KeyMaterial.generate();
        Path privatePem = key.writePrivateKeyPem(dir.resolve("keys/apiclient_key.pem"));
        Path publicPem = key.writePublicKeyPem(dir.resolve("keys/pub.pem"));

        assertThat(Files.readString(privatePem)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(publicPem)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        String signature = Sha256WithRsa.sign(KeyMaterial.readPrivateKey(privatePem), message);
        assertThat(Sha256WithRsa.verify(KeyMaterial.readPublicKey(publicPem), message, signature))
                .isTrue();
        assertThat(KeyMaterial.publicKeyOf(key.privateKey())).isEqualTo(key.publicKey());
    }

    @Test
    void serialsAndPublicKeyIdsHaveWeChatsShape() {
        assertThat(KeyMaterial.randomSerial()).matches("[0-9A-F]{40}");
        assertThat(KeyMaterial.randomPublicKeyId()).matches("PUB_KEY_ID_\\d{28}");
        assertThat(KeyMaterial.randomSerial()).isNotEqualTo(KeyMaterial.randomSerial());
    }

    @Test
    void verifyRejectsGarbageSignaturesInsteadOfThrowing() {
        KeyMaterial key = KeyMaterial.generate();

        assertThat(Sha256WithRsa.verify(key.publicKey(), new byte[] {1}, "not base64!"))
                .isFalse();
        assertThatThrownBy(() -> KeyMaterial.parsePublicKey(key.privateKeyPem()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
