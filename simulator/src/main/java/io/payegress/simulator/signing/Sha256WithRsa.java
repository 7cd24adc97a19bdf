package io.payegress.simulator.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * SHA256withRSA (PKCS#1 v1.5) with standard Base64 signatures, the one algorithm WeChat Pay v3 RSA mode uses.
 *
 * <p>Native (the Amazon Corretto Crypto Provider) where its library loads, else the JDK's; the bytes are the same
 * either way (PKCS#1 v1.5 signing is deterministic). The simulator stands for WeChat's servers, whose CPU is not the
 * gateway's: in {@code bench/budget.sh} it shares the gateways' two cores and signed every answer with the JDK's RSA
 * at about 1.5 ms, half a core at 330 calls/s (per-thread CPU from {@code /proc}), which the gateways under test then
 * lacked. Keys are converted into the provider's form once and remembered (the simulator signs with one key).
 */
public final class Sha256WithRsa {

    private static final String ALGORITHM = "SHA256withRSA";
    private static final @Nullable Provider NATIVE = nativeProvider();

    /** The last private and public key converted, with their converted forms (the simulator uses one of each). */
    private static volatile Converted lastPrivate = new Converted(null, null);

    private static volatile Converted lastPublic = new Converted(null, null);

    private record Converted(
            @Nullable Key original, @Nullable Key converted) {}

    private Sha256WithRsa() {}

    /** Signs the message and returns the standard Base64 signature. */
    public static String sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = instance();
            Converted last = lastPrivate;
            if (last.original() != key) {
                last = lastPrivate = converted(key);
            }
            signature.initSign((PrivateKey) last.converted());
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
            Signature signature = instance();
            Converted last = lastPublic;
            if (last.original() != key) {
                last = lastPublic = converted(key);
            }
            signature.initVerify((PublicKey) last.converted());
            signature.update(message);
            return signature.verify(raw);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static Signature instance() throws GeneralSecurityException {
        return NATIVE != null ? Signature.getInstance(ALGORITHM, NATIVE) : Signature.getInstance(ALGORITHM);
    }

    private static Converted converted(Key key) {
        if (NATIVE == null || !"RSA".equals(key.getAlgorithm())) {
            return new Converted(key, key);
        }
        try {
            return new Converted(key, KeyFactory.getInstance("RSA", NATIVE).translateKey(key));
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Converted(key, key);
        }
    }

    private static @Nullable Provider nativeProvider() {
        try {
            return AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null
                    ? AmazonCorrettoCryptoProvider.INSTANCE
                    : null;
        } catch (LinkageError e) {
            return null;
        }
    }
}
