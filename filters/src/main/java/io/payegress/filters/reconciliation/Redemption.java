package io.payegress.filters.reconciliation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a coupons/use body the reconciliation needs: which coupon, under which appid and use_request_no, and
 * the customer's openid and the stock when the POS sent them.
 */
public record Redemption(
        String couponCode,
        String appid,
        String useRequestNo,
        @Nullable String openid,
        @Nullable String stockId) {

    /** The redemption in these body bytes; empty when a required field is missing (validation lets none through). */
    public static Optional<Redemption> read(JsonMapper json, byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            String code = text(tree, "coupon_code");
            String appid = text(tree, "appid");
            String number = text(tree, "use_request_no");
            if (code == null || appid == null || number == null) {
                return Optional.empty();
            }
            return Optional.of(new Redemption(code, appid, number, text(tree, "openid"), text(tree, "stock_id")));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    public boolean hasOpenid() {
        return openid != null;
    }

    /**
     * The path of WeChat Pay's query of this coupon, {@code /v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}
     * /appids/{appid}}, each segment percent-encoded; only for a redemption with an openid.
     */
    public String queryPath() {
        if (openid == null) {
            throw new IllegalStateException("the coupon query needs the openid");
        }
        return "/v3/marketing/busifavor/users/" + segment(openid) + "/coupons/" + segment(couponCode) + "/appids/"
                + segment(appid);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static @Nullable String text(JsonNode tree, String field) {
        JsonNode value = tree.path(field);
        return value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }
}
