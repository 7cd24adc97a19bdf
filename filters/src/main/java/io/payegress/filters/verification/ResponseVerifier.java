package io.payegress.filters.verification;

import io.payegress.filters.signing.RsaSignatures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a WeChat Pay response: the SHA256withRSA signature over {@code TIMESTAMP\nNONCE\nBODY\n} of the raw body
 * with the key chosen by Wechatpay-Serial, and a timestamp less than maxSkew (default 5 minutes) from the clock in
 * either direction. Never throws for bad input: every failure, probes included, is an invalid {@link Verdict}.
 */
public final class ResponseVerifier {

    /** The window the official SDKs use. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);

    private static final int MAX_ECHO = 64;

    private final WeChatPayKeyring keyring;
    private final Clock clock;
    private final Duration maxSkew;
    private final String staleReason;

    public ResponseVerifier(WeChatPayKeyring keyring, Clock clock, Duration maxSkew) {
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw new IllegalArgumentException("maxSkew must be positive: " + maxSkew);
        }
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = maxSkew;
        this.staleReason = "timestamp outside the " + describe(maxSkew) + " window";
    }

    /** Header values may be null (missing); the result says why it failed. Never throws for bad input. */
    public Verdict verify(
            @Nullable String timestamp,
            @Nullable String nonce,
            @Nullable String signature,
            @Nullable String serial,
            byte[] body) {
        if (isBlank(signature)) {
            return Verdict.invalid("missing Wechatpay-Signature");
        }
        if (isBlank(timestamp)) {
            return Verdict.invalid("missing Wechatpay-Timestamp");
        }
        if (isBlank(nonce)) {
            return Verdict.invalid("missing Wechatpay-Nonce");
        }
        if (isBlank(serial)) {
            return Verdict.invalid("missing Wechatpay-Serial");
        }
        Optional<PublicKey> key = keyring.find(serial);
        if (key.isEmpty()) {
            return Verdict.invalid("unknown Wechatpay-Serial " + echo(serial));
        }
        Optional<Instant> signedAt = epochSeconds(timestamp);
        if (signedAt.isEmpty()) {
            return Verdict.invalid("malformed Wechatpay-Timestamp " + echo(timestamp));
        }
        if (Duration.between(signedAt.get(), clock.instant()).abs().compareTo(maxSkew) >= 0) {
            return Verdict.invalid(staleReason);
        }
        return checkSignature(key.get(), signature, message(timestamp, nonce, body));
    }

    static byte[] message(String timestamp, String nonce, byte[] body) {
        byte[] head = (timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        message[message.length - 1] = '\n';
        return message;
    }

    private static Verdict checkSignature(PublicKey key, String signatureBase64, byte[] message) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return Verdict.invalid("malformed signature");
        }
        try {
            Signature verifier = RsaSignatures.sha256WithRsa();
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature) ? Verdict.ok() : Verdict.invalid("signature does not verify");
        } catch (GeneralSecurityException | RuntimeException e) {
            return Verdict.invalid("malformed signature");
        }
    }

    private static Optional<Instant> epochSeconds(String timestamp) {
        if (timestamp.length() > 12 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(timestamp)));
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static String echo(String untrusted) {
        String printable = untrusted.replaceAll("[^\\x21-\\x7E]", "?");
        return printable.length() <= MAX_ECHO ? printable : printable.substring(0, MAX_ECHO) + "...";
    }

    private static String describe(Duration window) {
        if (window.toNanosPart() != 0) {
            return window.toMillis() + "-millisecond";
        }
        return window.toSecondsPart() == 0 ? window.toMinutes() + "-minute" : window.toSeconds() + "-second";
    }
}
