package io.payegress.filters.reconciliation;

import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.idempotency.StoredResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answers a reconciliation gives, built from what the coupon query found: the success WeChat Pay would have sent
 * for the redemption ({@code stock_id}, {@code openid}, {@code wechatpay_use_time} from the query's {@code
 * use_time}), and, found late, WeChat's refusal of a coupon another order used.
 */
public final class ReconciledAnswer {

    /** WeChat Pay's message for a coupon redeemed under another use_request_no. */
    static final String USED_BY_ANOTHER_MESSAGE = "券已被其他订单核销";

    private ReconciledAnswer() {}

    /** The success body, fields in WeChat's order; a field the query and request do not give is left out. */
    public static byte[] successBody(JsonMapper json, QueriedCoupon coupon, Redemption redemption) {
        ObjectNode root = json.createObjectNode();
        String stockId = coupon.stockId() != null ? coupon.stockId() : redemption.stockId();
        if (stockId != null) {
            root.put("stock_id", stockId);
        }
        if (redemption.openid() != null) {
            root.put("openid", redemption.openid());
        }
        if (coupon.useTime() != null) {
            root.put("wechatpay_use_time", coupon.useTime());
        }
        return json.writeValueAsBytes(root);
    }

    /** The success as the dedupe stage stores it: 200, JSON, and the query's Request-ID as X-Upstream-Request-Id. */
    public static StoredResponse stored(byte[] body, @Nullable String queryRequestId) {
        List<StoredResponse.Header> headers = new ArrayList<>();
        headers.add(new StoredResponse.Header("Content-Type", "application/json"));
        if (queryRequestId != null) {
            headers.add(new StoredResponse.Header("X-Upstream-Request-Id", queryRequestId));
        }
        return new StoredResponse(200, headers, body);
    }

    /**
     * The final failure for a coupon the query found USED under another number after the outcome was left unknown:
     * WeChat's own answer to such a redemption (400 RESOURCE_ALREADY_EXISTS), so the route's error table maps it as it
     * maps WeChat's (409 COUPON_ALREADY_USED by default), with the query's Request-ID.
     */
    public static UpstreamFailure usedByAnother(@Nullable String queryRequestId) {
        return new UpstreamFailure(new UpstreamOutcome.Answered(
                400, "RESOURCE_ALREADY_EXISTS", USED_BY_ANOTHER_MESSAGE, queryRequestId, null));
    }
}
