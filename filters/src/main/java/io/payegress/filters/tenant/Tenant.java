package io.payegress.filters.tenant;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One store's configuration: the SHA-256 hashes of its API keys (several, for rotation), the appids and stocks
 * it may use, its weight and optional cap in the shared upstream budget, and whether its redemptions must carry the
 * customer's openid (without which WeChat Pay's coupon query, and so the check of an uncertain redemption, is
 * impossible).
 */
public record Tenant(
        TenantId id,
        List<byte[]> apiKeyHashes,
        Set<String> appids,
        Map<String, CodeMode> stocks,
        int weight,
        OptionalInt capPerSecond,
        boolean openidRequired) {

    public Tenant {
        apiKeyHashes = List.copyOf(apiKeyHashes);
        appids = Set.copyOf(appids);
        stocks = Map.copyOf(stocks);
        if (weight < 1) {
            throw new IllegalArgumentException("weight of tenant " + id + " must be at least 1");
        }
    }

    public boolean mayUseAppid(String appid) {
        return appids.contains(appid);
    }

    public boolean mayUseStock(String stockId) {
        return stocks.containsKey(stockId);
    }
}
