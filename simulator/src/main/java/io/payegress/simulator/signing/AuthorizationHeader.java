package io.payegress.simulator.signing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",timestamp="..",serial_no="..",
 * signature=".."} header; the five parameters may come in any order.
 */
public record AuthorizationHeader(String mchid, String nonce, String timestamp, String serialNo, String signature) {

    /** The only scheme the simulator accepts. */
    public static final String SCHEME = "WECHATPAY2-SHA256-RSA2048";

    private static final Pattern PARAM = Pattern.compile("\\s*([a-z_]+)=\"([^\"]*)\"\\s*(,|$)");

    /** Parses the header value; empty when the scheme, a parameter or the syntax is wrong. */
    public static Optional<AuthorizationHeader> parse(String value) {
        String trimmed = value.strip();
        if (!trimmed.startsWith(SCHEME + " ")) {
            return Optional.empty();
        }
        String params = trimmed.substring(SCHEME.length() + 1);
        Map<String, String> found = new HashMap<>();
        Matcher matcher = PARAM.matcher(params);
        int position = 0;
        while (position < params.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                return Optional.empty();
            }
            if (found.put(matcher.group(1), matcher.group(2)) != null) {
                return Optional.empty();
            }
            position = matcher.end();
        }
        return from(found);
    }

    private static Optional<AuthorizationHeader> from(Map<String, String> params) {
        String mchid = params.get("mchid");
        String nonce = params.get("nonce_str");
        String timestamp = params.get("timestamp");
        String serial = params.get("serial_no");
        String signature = params.get("signature");
        if (mchid == null || nonce == null || timestamp == null || serial == null || signature == null) {
            return Optional.empty();
        }
        if (params.size() != 5 || mchid.isEmpty() || serial.isEmpty() || signature.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AuthorizationHeader(mchid, nonce, timestamp, serial, signature));
    }
}
