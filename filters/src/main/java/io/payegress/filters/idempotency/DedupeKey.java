package io.payegress.filters.idempotency;

import java.nio.charset.StandardCharsets;

/**
 * The scope of one {@code use_request_no}: merchant id, route id and the number itself. Its Redis keys keep the whole
 * logical record in one cluster slot ({@code payegress:dedupe:{mchid:route:no}} and its attempt marker, the same key
 * with {@code :attempted}), with every character outside {@code [A-Za-z0-9._-]} percent-encoded so that no component
 * can forge a separator or a hash-tag brace.
 */
public record DedupeKey(String merchantId, String routeId, String useRequestNo) {

    /** The longest component accepted; WeChat's own numbers are far shorter. */
    public static final int MAX_COMPONENT_LENGTH = 128;

    private static final String PREFIX = "payegress:dedupe:";

    public DedupeKey {
        check("merchant id", merchantId);
        check("route id", routeId);
        check("use_request_no", useRequestNo);
    }

    /** The Redis key of this record. */
    public String redisKey() {
        return PREFIX + "{" + escape(merchantId) + ":" + escape(routeId) + ":" + escape(useRequestNo) + "}";
    }

    /**
     * The Redis key of the marker saying an attempt with this number may have reached WeChat Pay; in the record's
     * slot, so one script can read and write both.
     */
    public String attemptsKey() {
        return redisKey() + ":attempted";
    }

    private static void check(String what, String value) {
        if (value.isEmpty() || value.length() > MAX_COMPONENT_LENGTH) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_COMPONENT_LENGTH + " characters");
        }
    }

    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (safe(c)) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)));
                sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static boolean safe(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '-';
    }
}
