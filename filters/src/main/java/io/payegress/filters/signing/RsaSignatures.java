package io.payegress.filters.signing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code SHA256withRSA} comes from: the Amazon Corretto Crypto Provider (AWS-LC, native) when its library loads
 * on this platform, else the JDK's provider. The JDK's RSA is fast only once C2 has compiled {@code BigInteger}'s
 * Montgomery multiplication: measured on the build machine, 16.8 ms per signature under C1 against 1.7-2.5 ms after
 * C2, while the native one costs 1.7-2.4 ms from the first call. A new replica under load therefore signs at full
 * speed from its first request instead of queueing signatures through its JIT warm-up. Signatures are the same
 * PKCS#1 v1.5 bytes either way (RSA signing is deterministic), so the choice never shows on the wire. Verification
 * of WeChat Pay's answers uses the same provider: under C1 the JDK's verification ran in Java {@code BigInteger} code
 * on the event loop (14% of its CPU at 150/s, profiled).
 *
 * <p>Keys are handed to the provider once, when loaded ({@link #prepared(PrivateKey)}, {@link #prepared(PublicKey)}):
 * the native provider otherwise converts a JDK key into its own form on every {@code initSign}, which was 18% of the
 * signing threads' CPU in a profile at 150/s.
 */
public final class RsaSignatures {

    private static final Logger log = LoggerFactory.getLogger(RsaSignatures.class);
    private static final String ALGORITHM = "SHA256withRSA";
    private static final @Nullable Provider NATIVE = nativeProvider();

    private RsaSignatures() {}

    /** A fresh {@code SHA256withRSA} signature object (to sign or to verify), native where available. */
    public static Signature sha256WithRsa() throws NoSuchAlgorithmException {
        return NATIVE != null ? Signature.getInstance(ALGORITHM, NATIVE) : Signature.getInstance(ALGORITHM);
    }

    /** The private key in the provider's own form (the key itself with the JDK's provider, or if it cannot be). */
    public static PrivateKey prepared(PrivateKey key) {
        return translated(key, PrivateKey.class);
    }

    /** The public key in the provider's own form (the key itself with the JDK's provider, or if it cannot be). */
    public static PublicKey prepared(PublicKey key) {
        return translated(key, PublicKey.class);
    }

    private static <K extends Key> K translated(K key, Class<K> type) {
        if (NATIVE == null || !"RSA".equals(key.getAlgorithm())) {
            return key;
        }
        try {
            Key translated = KeyFactory.getInstance("RSA", NATIVE).translateKey(key);
            return type.isInstance(translated) ? type.cast(translated) : key;
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn(
                    "RSA key kept in the JDK's form (the native provider would convert it per signature): {}",
                    e.toString());
            return key;
        }
    }

    /** The provider's name, for the startup log and health details. */
    public static String providerName() {
        return NATIVE != null ? NATIVE.getName() : "JDK";
    }

    private static @Nullable Provider nativeProvider() {
        try {
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (error == null) {
                return AmazonCorrettoCryptoProvider.INSTANCE;
            }
            log.info("RSA signing uses the JDK's provider: the native one did not load ({})", error.toString());
        } catch (LinkageError e) {
            log.info("RSA signing uses the JDK's provider: the native one is not on this platform ({})", e.toString());
        }
        return null;
    }
}
