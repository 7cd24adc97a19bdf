package io.payegress.filters.context;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Takes the POS's X-Request-Id when it is sane (1-64 of {@code [A-Za-z0-9._:-]}), else generates one. */
public final class RequestIds {

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    public static String takeOrGenerate(@Nullable String offered) {
        if (offered != null && SANE.matcher(offered).matches()) {
            return offered;
        }
        return UUID.randomUUID().toString();
    }
}
