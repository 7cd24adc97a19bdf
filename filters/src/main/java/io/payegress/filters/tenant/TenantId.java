package io.payegress.filters.tenant;

import java.util.regex.Pattern;

/** A store (tenant) name as configured, e.g. {@code store-001}; also a bounded metric label. */
public record TenantId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public TenantId {
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("tenant id must match " + SHAPE.pattern() + ": " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
