package io.payegress.simulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WeChat-like Request-ID values {@code <hex>-<n>}: a random per-instance prefix plus a sequence in hex, and after the
 * last dash 0 on success or a non-zero internal error number otherwise.
 */
final class RequestIds {

    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    RequestIds() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().withUpperCase().formatHex(random);
    }

    String next(int status) {
        long suffix = status / 100 == 2 ? 0 : 268_435_456L + status;
        return prefix + String.format("%012X", sequence.incrementAndGet()) + "-" + suffix;
    }
}
