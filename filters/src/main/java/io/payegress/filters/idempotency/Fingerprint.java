package io.payegress.filters.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a request body's exact bytes, as 64 lowercase hex digits: two requests with one
 * {@code use_request_no} are the same request only if their bodies are byte-identical.
 */
public record Fingerprint(String hex) {

    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{64}");

    public Fingerprint {
        if (!SHAPE.matcher(hex).matches()) {
            throw new IllegalArgumentException("a fingerprint is 64 lowercase hex digits");
        }
    }

    /** The fingerprint of these body bytes. */
    public static Fingerprint of(byte[] body) {
        try {
            return new Fingerprint(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
