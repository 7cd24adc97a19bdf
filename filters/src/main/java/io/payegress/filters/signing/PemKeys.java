package io.payegress.filters.signing;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM parsing with JDK crypto only: PKCS#8 RSA private key, X.509 SubjectPublicKeyInfo public key (or the key of
 * an X.509 certificate), and an X.509 certificate's serial as upper-case hex. Errors never quote key material.
 */
public final class PemKeys {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final int LINE = 64;

    private PemKeys() {}

    /** Parses a PKCS#8 {@code PRIVATE KEY} block (apiclient_key.pem); PKCS#1 and encrypted keys are refused. */
    public static PrivateKey privateKey(String pem) {
        Block block = block(pem);
        if (!block.label().equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("expected a PKCS#8 'PRIVATE KEY' PEM block but found '" + block.label()
                    + "'; convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out apiclient_key.pem");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(block.der()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PKCS#8 block is not a valid RSA private key", e);
        }
    }

    /** Parses a {@code PUBLIC KEY} block (WeChat Pay public key) or a {@code CERTIFICATE} block (platform cert). */
    public static PublicKey publicKey(String pem) {
        Block block = block(pem);
        if (block.label().equals("CERTIFICATE")) {
            return certificate(block).getPublicKey();
        }
        if (!block.label().equals("PUBLIC KEY")) {
            throw new IllegalArgumentException(
                    "expected a 'PUBLIC KEY' or 'CERTIFICATE' PEM block but found '" + block.label() + "'");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(block.der()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PUBLIC KEY block is not a valid RSA public key", e);
        }
    }

    /** The serial number of a {@code CERTIFICATE} block as upper-case hex, as WeChat Pay expects in serial_no. */
    public static String certificateSerial(String pem) {
        Block block = block(pem);
        if (!block.label().equals("CERTIFICATE")) {
            throw new IllegalArgumentException("expected a 'CERTIFICATE' PEM block but found '" + block.label() + "'");
        }
        return certificate(block).getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    /** Writes a private key as a PKCS#8 PEM block (tests and local-run key files). */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Writes a public key as a SubjectPublicKeyInfo PEM block. */
    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static X509Certificate certificate(Block block) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(block.der()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CERTIFICATE block is not a valid X.509 certificate", e);
        }
    }

    private static Block block(String pem) {
        Matcher matcher = BLOCK.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no PEM block (-----BEGIN ...----- / -----END ...-----) found");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM block '" + matcher.group(1) + "' is not valid Base64", e);
        }
        if (der.length == 0) {
            throw new IllegalArgumentException("PEM block '" + matcher.group(1) + "' is empty");
        }
        return new Block(matcher.group(1), der);
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(LINE, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private record Block(String label, byte[] der) {}
}
