package io.payegress.filters.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Well-formed UTF-8 per RFC 3629, byte by byte: the first malformed offset, or -1. */
class Utf8CheckTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', -1",
        "41 42 43, -1",
        "C2 A9, -1", // (c) sign, 2 bytes
        "E4 B8 AD, -1", // CJK, 3 bytes
        "EF BF BF, -1", // U+FFFF
        "F0 9F 98 80, -1", // emoji: well-formed; its 4 bytes are refused per field elsewhere
        "F4 8F BF BF, -1", // U+10FFFF
        "80, 0", // stray continuation
        "41 C0 AF, 1", // overlong '/'
        "41 C1 BF, 1", // overlong
        "E0 80 AF, 0", // overlong 3-byte
        "F0 80 80 AF, 0", // overlong 4-byte
        "ED A0 80, 0", // UTF-16 surrogate encoded
        "F4 90 80 80, 0", // past U+10FFFF
        "F5 80 80 80, 0", // invalid lead
        "FF, 0",
        "41 42 E4 B8, 2", // truncated at the end
        "E4 41 AD, 0", // bad continuation
        "C2, 0"
    })
    void findsTheFirstMalformedByte(String hex, int expected) {
        assertThat(Utf8Check.firstInvalidOffset(bytes(hex))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"sxxe34343434", "\u4e2d\u6587", "caf\u00e9", "\uD83D\uDE00"})
    void acceptsWhatJavaEncodesAsUtf8(String text) {
        assertThat(Utf8Check.firstInvalidOffset(text.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
    }

    private static byte[] bytes(String hex) {
        if (hex.isBlank()) {
            return new byte[0];
        }
        String[] parts = hex.trim().split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }
}
