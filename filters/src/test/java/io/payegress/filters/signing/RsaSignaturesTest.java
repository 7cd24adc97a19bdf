package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class RsaSignaturesTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void signsInNativeCodeOnLinuxX64() throws Exception {
        assertThat(RsaSignatures.providerName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void producesTheSameSignatureAsTheJdk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] message =
                "POST\n/v3/marketing/busifavor/coupons/use\n1700000000\nNONCE\n{}\n".getBytes(StandardCharsets.UTF_8);

        Signature chosen = RsaSignatures.sha256WithRsa();
        chosen.initSign(keys.getPrivate());
        chosen.update(message);
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initSign(keys.getPrivate());
        jdk.update(message);

        assertThat(chosen.sign()).as("PKCS#1 v1.5 signatures are deterministic").isEqualTo(jdk.sign());
    }

    @Test
    void preparedKeysSignAndVerifyAsTheJdksKeysDo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] message = "GET\n/v3/certificates\n1700000000\nNONCE\n\n".getBytes(StandardCharsets.UTF_8);

        Signature chosen = RsaSignatures.sha256WithRsa();
        chosen.initSign(RsaSignatures.prepared(keys.getPrivate()));
        chosen.update(message);
        byte[] signature = chosen.sign();
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initSign(keys.getPrivate());
        jdk.update(message);
        assertThat(signature).isEqualTo(jdk.sign());

        Signature verifier = RsaSignatures.sha256WithRsa();
        verifier.initVerify(RsaSignatures.prepared(keys.getPublic()));
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(RsaSignatures.prepared(keys.getPublic()));
        verifier.update("tampered".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isFalse();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void aPreparedKeyIsConvertedOnceAndKeepsItsEncoding() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();

        PrivateKey prepared = RsaSignatures.prepared(keys.getPrivate());

        assertThat(prepared.getClass().getName()).startsWith("com.amazon.corretto.crypto.provider.");
        assertThat(RsaSignatures.prepared(prepared))
                .as("already in the provider's form")
                .isSameAs(prepared);
        assertThat(prepared.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(RsaSignatures.prepared(keys.getPublic()).getEncoded())
                .isEqualTo(keys.getPublic().getEncoded());
    }
}
