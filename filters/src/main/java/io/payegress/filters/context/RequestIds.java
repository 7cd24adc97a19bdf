package io.payegress.filters.context;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Takes the POS's X-Request-Id when it is sane (1-64 of {@code [A-Za-z0-9._:-]}), else generates one. */
public final class RequestIds {

    /** The longest id taken. */
    private static final int MAX_LENGTH = 64;

    private RequestIds() {}

    public static String takeOrGenerate(@Nullable String offered) {
        if (offered != null && sane(offered)) {
            return offered;
        }
        return UUID.randomUUID().toString();
    }

    /**
     * Whether an id is sane: 1 to 64 of {@code [A-Za-z0-9._:-]}, characters that no header, log line or JSON string
     * has to escape (the door's prepared answers put such an id into their bytes as it is). Checked by hand: a regular
     * expression was most of that splice's cost at five times the limit (docs/benchmarks.md, session 41).
     */
    public static boolean sane(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }
}
