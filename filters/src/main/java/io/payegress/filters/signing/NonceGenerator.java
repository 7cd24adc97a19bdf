package io.payegress.filters.signing;

import java.security.SecureRandom;

/** Makes the {@code nonce_str} of each signed request: 32 characters from [0-9A-Za-z], drawn from SecureRandom. */
public final class NonceGenerator {

    static final int LENGTH = 32;
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SecureRandom random;

    public NonceGenerator() {
        this.random = new SecureRandom();
    }

    public String next() {
        char[] nonce = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            nonce[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(nonce);
    }
}
