package io.payegress.filters.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates request bodies for coupons/use by mutating the seed example: wrong types, lengths at and past each
 * bound, 4-byte and broken Unicode, nulls, duplicate keys, deep nesting, huge numbers, truncated, flipped and
 * non-JSON bytes. Deterministic for a seed; shared with the gateway's end-to-end fuzz run (filters test-jar).
 */
public final class FuzzBodies {

    static final String[] FIELDS = {"coupon_code", "stock_id", "appid", "use_time", "use_request_no", "openid"};
    static final int[] MAX_LENGTHS = {32, 20, 32, 32, 32, 128};

    private final Random random;

    private FuzzBodies(long seed) {
        this.random = new Random(seed);
    }

    /** {@code n} bodies from {@code seed}; the same arguments always give the same bodies. */
    public static List<byte[]> generate(long seed, int n) {
        FuzzBodies fuzz = new FuzzBodies(seed);
        List<byte[]> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bodies.add(fuzz.next());
        }
        return bodies;
    }

    private byte[] next() {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return Fixtures.utf8(Fixtures.SEED);
        }
        if (kind <= 12) {
            return Fixtures.utf8(mutateFields().json());
        }
        byte[] seed = Fixtures.utf8(
                random.nextBoolean() ? Fixtures.SEED : mutateFields().json());
        switch (kind) {
            case 13:
                return truncate(seed);
            case 14:
                return flipBytes(seed);
            case 15:
                return randomBytes();
            case 16:
                return Fixtures.utf8(nonJson());
            case 17:
                return Fixtures.utf8(nested(1 + random.nextInt(40), random.nextBoolean()));
            case 18:
                return Fixtures.utf8(topLevelNonObject());
            default:
                return Fixtures.utf8(seedWithDuplicate());
        }
    }

    /** One to three field-level mutations of the seed. */
    private Bodies mutateFields() {
        Bodies body = Bodies.seed();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int field = random.nextInt(FIELDS.length);
            mutateField(body, FIELDS[field], MAX_LENGTHS[field]);
        }
        return body;
    }

    private void mutateField(Bodies body, String field, int max) {
        switch (random.nextInt(13)) {
            case 0 -> body.raw(field, wrongType());
            case 1 -> body.with(field, ascii(max));
            case 2 -> body.with(field, ascii(max + 1));
            case 3 -> body.with(field, "");
            case 4 -> body.with(field, ascii(random.nextInt(max + 8)) + unicode());
            case 5 -> body.raw(field, "null");
            case 6 -> body.without(field);
            case 7 -> body.raw(typo(field), Bodies.quote(ascii(3)));
            case 8 -> body.raw("x_" + random.nextInt(5), wrongType());
            case 9 -> body.raw(field, hugeNumber());
            case 10 -> body.with("use_time", dateTime());
            case 11 -> body.with(field, otherOwner(field));
            default -> body.raw(field, "\"" + escapes() + "\"");
        }
    }

    private String wrongType() {
        String[] values = {"0", "-1", "1.5", "true", "false", "[]", "{}", "[\"a\"]", "{\"a\":\"b\"}", "null", "\"\""};
        return values[random.nextInt(values.length)];
    }

    private String ascii(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private String unicode() {
        String[] values = {"\u4e2d", "\u00e9", "\uD83D\uDE00", "\uD840\uDC00", "\u200b", "\uFEFF", "\uFFFF", "\u0000"};
        return values[random.nextInt(values.length)];
    }

    /** Raw JSON escape sequences for the inside of a string literal, some of them broken on purpose. */
    private String escapes() {
        String[] values = {"\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\u0000", "\\n\\t", "\\u4e2d", "\\x41", "\\"};
        return "a" + values[random.nextInt(values.length)];
    }

    private String typo(String field) {
        int cut = 1 + random.nextInt(field.length() - 1);
        return field.substring(0, cut) + field.substring(cut + 1);
    }

    private String hugeNumber() {
        String[] values = {"1" + "0".repeat(31), "9".repeat(33), "1e999999999", "-0", "1.0e-400", "0." + "1".repeat(40)
        };
        return values[random.nextInt(values.length)];
    }

    private String dateTime() {
        String[] values = {
            "2015-05-20T13:29:35+08:00", "2015-05-20T13:29:35", "2015-02-30T13:29:35+08:00", "2015-05-20T13:29:35Z",
            "2015-05-20 13:29:35+08:00", "2015-13-20T13:29:35+08:00", "2015-05-20T13:29:35+24:00", "20150520T132935Z",
            "2016-12-31T23:59:60Z", "2015-05-20T13:29:35.123456789+08:00", "2015-05-20T13:29:35+0800", "now"
        };
        return values[random.nextInt(values.length)];
    }

    private String otherOwner(String field) {
        return switch (field) {
            case "appid" -> random.nextBoolean() ? "wx0000000000001" : "wx1234567889999";
            case "stock_id" -> random.nextBoolean() ? "999999" : "200099";
            default -> ascii(1 + random.nextInt(10));
        };
    }

    private byte[] truncate(byte[] body) {
        byte[] cut = new byte[random.nextInt(body.length)];
        System.arraycopy(body, 0, cut, 0, cut.length);
        return cut;
    }

    private byte[] flipBytes(byte[] body) {
        byte[] flipped = body.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
        }
        return flipped;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String nonJson() {
        String[] values = {
            "",
            " ",
            "coupon_code=x&appid=y",
            "<xml><coupon_code>x</coupon_code></xml>",
            "{",
            "}",
            "{\"a\"}",
            "{\"a\":1,}",
            "{'a':'b'}",
            "{\"a\":NaN}",
            "{\"a\":01}",
            "{} x",
            "\uFEFF" + Fixtures.SEED,
            "//c\n{}"
        };
        return values[random.nextInt(values.length)];
    }

    private String nested(int depth, boolean arrays) {
        String open = arrays ? "[" : "{\"n\":";
        String close = arrays ? "]" : "}";
        String inner = open.repeat(depth) + "1" + close.repeat(depth);
        return Fixtures.SEED.replace("}", ",\"deep\":" + inner + "}");
    }

    private String topLevelNonObject() {
        String[] values = {"[]", "[" + Fixtures.SEED + "]", "\"x\"", "1", "true", "null"};
        return values[random.nextInt(values.length)];
    }

    private String seedWithDuplicate() {
        String field = FIELDS[random.nextInt(FIELDS.length)];
        return Fixtures.SEED.replace("}", "," + Bodies.quote(field) + ":" + Bodies.quote(ascii(5)) + "}");
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
