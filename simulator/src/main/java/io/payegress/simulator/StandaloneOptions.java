package io.payegress.simulator;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Options of the standalone simulator, from {@code --key=value} arguments over {@code SIM_KEY} environment variables
 * (key upper-cased, dashes as underscores): port, host, limit, merchant-id, merchant-serial, merchant-public-key,
 * merchant-private-key-out, platform-private-key, platform-public-key-id, platform-public-key-out, demo-seed, resend
 * ({@code replay}, the default, or {@code already-exists}: what a resent use_request_no of a redeemed coupon gets).
 */
record StandaloneOptions(Map<String, String> values) {

    static StandaloneOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("SIM_")) {
                values.put(name.substring(4).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        });
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new StandaloneOptions(Map.copyOf(values));
    }

    @Nullable
    String get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    String get(String key, String fallback) {
        String value = get(key);
        return value == null ? fallback : value;
    }

    int integer(String key, int fallback) {
        String value = get(key);
        return value == null ? fallback : Integer.parseInt(value);
    }

    boolean flag(String key, boolean fallback) {
        String value = get(key);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }
}
