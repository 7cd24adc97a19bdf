package io.payegress.simulator;

import org.jspecify.annotations.Nullable;

/**
 * What the simulator answers one WeChat API call with, before signing: status, content type, exact body bytes, how
 * the answer is signed (or forged, or replaced by a connection reset), and how long to wait before sending it.
 */
record Reply(int status, @Nullable String contentType, byte[] body, Signing signing, long latencyMs) {

    static final String JSON = "application/json";

    /** How the answer is signed; everything but SIGNED and UNSIGNED is an injected fault. */
    enum Signing {
        SIGNED,
        UNSIGNED,
        BAD_SIGNATURE,
        UNKNOWN_SERIAL,
        STALE_TIMESTAMP,
        RESET
    }

    static Reply signedJson(int status, byte[] body) {
        return new Reply(status, JSON, body, Signing.SIGNED, 0);
    }

    Reply delayed(long millis) {
        return new Reply(status, contentType, body, signing, millis);
    }
}
