package io.payegress.simulator.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** SHA256withRSA (PKCS#1 v1.5) with standard Base64 signatures, the one algorithm WeChat Pay v3 RSA mode uses. */
public final class Sha256WithRsa {

    private static final String ALGORITHM = "SHA256withRSA";

    private Sha256WithRsa() {}

    /** Signs the message and returns the standard Base64 signature. */
    public static String sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + ALGORITHM, e);
        }
    }

    /** True when the Base64 signature is a valid signature of the message; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] message, String base64Signature) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64Signature);
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(raw);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
