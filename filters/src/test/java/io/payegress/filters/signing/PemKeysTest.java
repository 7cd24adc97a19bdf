package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemKeysTest {

    @Test
    void privateAndPublicKeysRoundTripThroughPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();

        String privatePem = PemKeys.privateKeyPem(pair.getPrivate());
        String publicPem = PemKeys.publicKeyPem(pair.getPublic());

        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PemKeys.privateKey(privatePem)).isEqualTo(pair.getPrivate());
        assertThat(PemKeys.publicKey(publicPem)).isEqualTo(pair.getPublic());
    }

    @Test
    void readsOpensslKeysAndTheCertificateSerialAsUpperCaseHex() {
        PrivateKey key = PemKeys.privateKey(MerchantTestKeys.KEY_A);

        assertThat(PemKeys.certificateSerial(MerchantTestKeys.CERT_A)).isEqualTo(MerchantTestKeys.SERIAL_A);
        assertThat(PemKeys.certificateSerial(MerchantTestKeys.CERT_B)).isEqualTo(MerchantTestKeys.SERIAL_B);
        RSAPublicKey certificateKey = (RSAPublicKey) PemKeys.publicKey(MerchantTestKeys.CERT_A);
        assertThat(certificateKey.getModulus()).isEqualTo(((RSAPrivateCrtKey) key).getModulus());
    }

    @Test
    void ignoresTextAroundThePemBlockAndWindowsLineEnds() {
        String pem = "Bag Attributes\r\n" + MerchantTestKeys.KEY_A.replace("\n", "\r\n") + "trailing";

        assertThat(PemKeys.privateKey(pem)).isEqualTo(PemKeys.privateKey(MerchantTestKeys.KEY_A));
    }

    @Test
    void refusesAPkcs1KeyWithTheConversionCommand() {
        String pkcs1 = MerchantTestKeys.KEY_A.replace("PRIVATE KEY", "RSA PRIVATE KEY");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemKeys.privateKey(pkcs1))
                .withMessageContaining("openssl pkcs8 -topk8");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not a pem",
                "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            })
    void refusesTextThatIsNotAPkcs8PrivateKey(String pem) {
        assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.privateKey(pem));
    }

    @Test
    void errorForATruncatedKeyDoesNotQuoteTheKey() {
        String truncated = MerchantTestKeys.KEY_A.substring(0, 400) + "\n-----END PRIVATE KEY-----\n";
        String keyLine = MerchantTestKeys.KEY_A.split("\n")[2].strip();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemKeys.privateKey(truncated))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyLine));
    }

    @Test
    void certificateSerialRefusesAKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemKeys.certificateSerial(MerchantTestKeys.KEY_A))
                .withMessageContaining("CERTIFICATE");
    }
}
