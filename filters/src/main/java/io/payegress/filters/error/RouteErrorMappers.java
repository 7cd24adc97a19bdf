package io.payegress.filters.error;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The error table of each route: a route with a configured table gets its own mapper, every other route (and a
 * request no route matched) the fallback, by default the built-in coupons/use table.
 */
public final class RouteErrorMappers {

    private final Map<String, MerchantErrorMapper> byRoute;
    private final MerchantErrorMapper fallback;

    public RouteErrorMappers(Map<String, MerchantErrorMapper> byRoute, MerchantErrorMapper fallback) {
        this.byRoute = Map.copyOf(byRoute);
        this.fallback = fallback;
    }

    /** One mapper for every route. */
    public static RouteErrorMappers single(MerchantErrorMapper mapper) {
        return new RouteErrorMappers(Map.of(), mapper);
    }

    public MerchantErrorMapper forRoute(@Nullable String routeId) {
        MerchantErrorMapper mapper = routeId == null ? null : byRoute.get(routeId);
        return mapper == null ? fallback : mapper;
    }
}
