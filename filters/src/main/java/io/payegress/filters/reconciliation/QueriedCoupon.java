package io.payegress.filters.reconciliation;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What WeChat Pay's coupon query says of a coupon: its {@code coupon_state} (SENDED, USED, EXPIRED, DELETED or
 * DEACTIVATED) and, once used, the {@code use_request_no} and {@code use_time} of the redemption; and its stock.
 */
public record QueriedCoupon(
        String state,
        @Nullable String useRequestNo,
        @Nullable String useTime,
        @Nullable String stockId) {

    /** The coupon in a verified query answer; empty when the body is not JSON or has no coupon_state. */
    public static Optional<QueriedCoupon> parse(JsonMapper json, byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            String state = text(tree, "coupon_state");
            if (state == null) {
                return Optional.empty();
            }
            return Optional.of(new QueriedCoupon(
                    state, text(tree, "use_request_no"), text(tree, "use_time"), text(tree, "stock_id")));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String text(JsonNode tree, String field) {
        JsonNode value = tree.path(field);
        return value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }
}
