package io.payegress.filters.auth;

import io.payegress.filters.tenant.TenantDirectory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/** YAML {@code Authenticate}: the caller must present {@code Authorization: Bearer <api-key>} of a tenant. */
public final class AuthenticateGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final TenantDirectory tenants;

    public AuthenticateGatewayFilterFactory(TenantDirectory tenants) {
        super(Object.class);
        this.tenants = tenants;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new AuthenticateFilter(new ApiKeyAuthenticator(tenants.tenants()));
    }
}
