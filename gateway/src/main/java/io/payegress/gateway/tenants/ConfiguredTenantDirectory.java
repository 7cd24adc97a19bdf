package io.payegress.gateway.tenants;

import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantDirectory;
import io.payegress.filters.tenant.TenantId;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** The tenants of {@code payegress.tenants}, fixed at start-up. */
public final class ConfiguredTenantDirectory implements TenantDirectory {

    private final Map<TenantId, Tenant> tenants = new LinkedHashMap<>();

    public ConfiguredTenantDirectory(TenantProperties properties) {
        properties.tenants().forEach((id, settings) -> {
            TenantId tenantId = new TenantId(id);
            tenants.put(tenantId, tenant(tenantId, settings));
        });
    }

    private static Tenant tenant(TenantId id, TenantProperties.TenantSettings settings) {
        HexFormat hex = HexFormat.of();
        return new Tenant(
                id,
                settings.apiKeySha256().stream().map(hex::parseHex).toList(),
                Set.copyOf(settings.appids()),
                settings.stocks(),
                settings.weight(),
                settings.capPerSecond() == null ? OptionalInt.empty() : OptionalInt.of(settings.capPerSecond()),
                settings.openidRequired());
    }

    @Override
    public Collection<Tenant> tenants() {
        return tenants.values();
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }
}
