package io.payegress.filters.validation;

/**
 * Scans raw body bytes once, without decoding them into a String, for malformed UTF-8 (overlong forms, encoded
 * surrogates, code points past U+10FFFF, truncated or stray bytes), which the JSON parser alone does not all catch.
 * Well-formed 4-byte sequences pass here and are located per field by {@link ValueRules}.
 */
final class Utf8Check {

    private Utf8Check() {}

    /** The offset of the first byte that starts a malformed sequence, or -1 when all bytes are well-formed UTF-8. */
    static int firstInvalidOffset(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, b);
            if (length < 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** Length of the well-formed sequence starting at {@code i} with lead byte {@code b}, or -1 (RFC 3629 table). */
    private static int sequenceLength(byte[] bytes, int i, int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return continuation(bytes, i + 1, 0x80, 0xBF) ? 2 : -1;
        }
        if (b >= 0xE0 && b <= 0xEF) {
            int low = b == 0xE0 ? 0xA0 : 0x80;
            int high = b == 0xED ? 0x9F : 0xBF;
            return continuation(bytes, i + 1, low, high) && continuation(bytes, i + 2, 0x80, 0xBF) ? 3 : -1;
        }
        if (b >= 0xF0 && b <= 0xF4) {
            int low = b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xF4 ? 0x8F : 0xBF;
            return continuation(bytes, i + 1, low, high)
                            && continuation(bytes, i + 2, 0x80, 0xBF)
                            && continuation(bytes, i + 3, 0x80, 0xBF)
                    ? 4
                    : -1;
        }
        return -1;
    }

    private static boolean continuation(byte[] bytes, int i, int low, int high) {
        if (i >= bytes.length) {
            return false;
        }
        int b = bytes[i] & 0xFF;
        return b >= low && b <= high;
    }
}
