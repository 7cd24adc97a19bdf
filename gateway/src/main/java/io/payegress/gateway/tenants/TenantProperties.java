package io.payegress.gateway.tenants;

import io.payegress.filters.tenant.CodeMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payegress.tenants.<tenant-id>.*}: each store, its API key hashes, the appids and stocks it may use, and
 * its share of the upstream budget.
 */
@Validated
@ConfigurationProperties("payegress")
public record TenantProperties(@DefaultValue Map<String, @Valid TenantSettings> tenants) {

    /**
     * One tenant.
     *
     * @param apiKeySha256 hex SHA-256 hashes of its API keys; several during a rotation
     * @param appids the appids it may redeem for
     * @param stocks the stock ids it may redeem, with each stock's code mode
     * @param weight its weight in the shared budget
     * @param capPerSecond an optional hard cap on its calls per second
     * @param openidRequired refuse (400 VALIDATION_FAILED at /openid) a redemption without the customer's openid: the
     *     gateway cannot check an uncertain redemption with WeChat Pay's coupon query without it, and answers such a
     *     redemption 504 UPSTREAM_OUTCOME_UNKNOWN (retryable) for as long as it stays uncertain
     */
    public record TenantSettings(
            @NotEmpty List<@Pattern(regexp = "[0-9a-fA-F]{64}") String> apiKeySha256,
            @DefaultValue List<String> appids,
            @DefaultValue Map<String, CodeMode> stocks,
            @DefaultValue("1") @Min(1) int weight,
            @Nullable @Min(1) Integer capPerSecond,
            @DefaultValue("false") boolean openidRequired) {}
}
