package io.payegress.filters.validation;

import io.payegress.filters.tenant.Tenant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The tenant rules a schema cannot say, applied to the top-level {@code appid} and {@code stock_id} of routes whose
 * schema declares them: the tenant must own both, and must name the stock when it cannot be a WeChat-coded one.
 *
 * <p>The stock_id rule: WeChat needs {@code stock_id} to redeem codes of MERCHANT_API and MERCHANT_UPLOAD stocks,
 * and the gateway cannot tell from a coupon code which stock it belongs to. So {@code stock_id} may be left out only
 * when the tenant has at least one WECHATPAY_MODE stock (the code may belong to it); a tenant whose stocks all use
 * merchant codes, or that has no stocks at all, must always send it.
 */
final class TenantGrants {

    static final String APPID = "appid";
    static final String STOCK_ID = "stock_id";
    static final String OPENID = "openid";

    private TenantGrants() {}

    /** Rules about the body's shape: stock_id presence; only when the schema declares but does not require it. */
    static void checkRequiredStock(JsonNode body, Tenant tenant, RouteSchema schema, List<Problem> problems) {
        if (!schema.declares(STOCK_ID) || schema.requires(STOCK_ID) || body.has(STOCK_ID)) {
            return;
        }
        if (!hasWechatCodedStock(tenant)) {
            problems.add(new Problem(
                    "/" + STOCK_ID,
                    "is required: this store's coupon stocks use merchant-issued codes",
                    RejectionReason.STOCK_ID_REQUIRED));
        }
    }

    /**
     * The openid rule: a tenant configured with openid-required must send the customer's openid on routes whose schema
     * declares one, so that an uncertain redemption can be checked with WeChat Pay's coupon query.
     */
    static void checkRequiredOpenid(JsonNode body, Tenant tenant, RouteSchema schema, List<Problem> problems) {
        if (tenant.openidRequired() && schema.declares(OPENID) && !body.has(OPENID)) {
            problems.add(new Problem(
                    "/" + OPENID,
                    "is required for this store: without the customer's openid an uncertain redemption cannot be"
                            + " checked with WeChat Pay",
                    RejectionReason.OPENID_REQUIRED));
        }
    }

    /** Ownership: an appid or stock_id (when present as a string) that the tenant was not granted. */
    static void checkOwnership(JsonNode body, Tenant tenant, RouteSchema schema, List<Problem> problems) {
        JsonNode appid = body.path(APPID);
        if (schema.declares(APPID) && appid.isString() && !tenant.mayUseAppid(appid.asString())) {
            problems.add(
                    new Problem("/" + APPID, "is not an appid this store may use", RejectionReason.FORBIDDEN_APPID));
        }
        JsonNode stock = body.path(STOCK_ID);
        if (schema.declares(STOCK_ID) && stock.isString() && !tenant.mayUseStock(stock.asString())) {
            problems.add(new Problem(
                    "/" + STOCK_ID, "is not a coupon stock this store may use", RejectionReason.FORBIDDEN_STOCK));
        }
    }

    private static boolean hasWechatCodedStock(Tenant tenant) {
        return tenant.stocks().values().stream().anyMatch(mode -> !mode.requiresStockId());
    }
}
