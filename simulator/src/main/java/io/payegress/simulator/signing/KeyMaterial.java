package io.payegress.simulator.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An RSA-2048 key pair with the serial (or public-key id) it is known under, plus PEM reading and writing: PKCS#8
 * "PRIVATE KEY" and X.509 "PUBLIC KEY". Used by tests and the local run to make fresh demo keys; nothing is committed.
 */
public record KeyMaterial(KeyPair keyPair, String serial) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    /** Generates a fresh RSA-2048 pair named by a random upper-case hex serial (like a merchant certificate serial). */
    public static KeyMaterial generate() {
        return new KeyMaterial(newRsaPair(), randomSerial());
    }

    /** Generates a fresh RSA-2048 pair named by a random WeChat Pay public-key id ({@code PUB_KEY_ID_} + digits). */
    public static KeyMaterial generatePlatform() {
        return new KeyMaterial(newRsaPair(), randomPublicKeyId());
    }

    /** A random 40-character upper-case hex string, the shape of a merchant API certificate serial. */
    public static String randomSerial() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** A random public-key id of the form {@code PUB_KEY_ID_} followed by 28 digits. */
    public static String randomPublicKeyId() {
        StringBuilder id = new StringBuilder("PUB_KEY_ID_01");
        for (int i = 0; i < 26; i++) {
            id.append(RANDOM.nextInt(10));
        }
        return id.toString();
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** The private key as a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). */
    public String privateKeyPem() {
        return pem(PRIVATE_LABEL, privateKey().getEncoded());
    }

    /** The public key as an X.509 SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"). */
    public String publicKeyPem() {
        return pem(PUBLIC_LABEL, publicKey().getEncoded());
    }

    public Path writePrivateKeyPem(Path file) {
        return write(file, privateKeyPem());
    }

    public Path writePublicKeyPem(Path file) {
        return write(file, publicKeyPem());
    }

    /** Parses a PKCS#8 RSA private key PEM. */
    public static PrivateKey parsePrivateKey(String pem) {
        try {
            return rsa().generatePrivate(new PKCS8EncodedKeySpec(unpem(pem, PRIVATE_LABEL)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
        }
    }

    /** Parses an X.509 RSA public key PEM. */
    public static PublicKey parsePublicKey(String pem) {
        try {
            return rsa().generatePublic(new X509EncodedKeySpec(unpem(pem, PUBLIC_LABEL)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 RSA public key", e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        return parsePrivateKey(read(file));
    }

    public static PublicKey readPublicKey(Path file) {
        return parsePublicKey(read(file));
    }

    /** Derives the public key from an RSA CRT private key (what every generated or PKCS#8 RSA key is). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("an RSA CRT private key is needed to derive its public key");
        }
        try {
            return rsa().generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newRsaPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyFactory rsa() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA");
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] unpem(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("PEM block " + label + " not found");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static Path write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
