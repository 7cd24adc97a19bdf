package io.payegress.filters.tenant;

import java.util.Collection;
import java.util.Optional;

/** The configured tenants; the gateway application supplies the implementation from its configuration. */
public interface TenantDirectory {

    Collection<Tenant> tenants();

    Optional<Tenant> find(TenantId id);
}
