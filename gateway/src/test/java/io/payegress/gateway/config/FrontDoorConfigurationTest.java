package io.payegress.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.door.DoorRoute;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;

class FrontDoorConfigurationTest {

    private static final String USE = "/v3/marketing/busifavor/coupons/use";

    private static RouteDefinition route(String id, List<String> predicates, List<String> filters) {
        RouteDefinition route = new RouteDefinition();
        route.setId(id);
        route.setUri(java.net.URI.create("https://api.mch.weixin.qq.com"));
        route.setPredicates(predicates.stream().map(PredicateDefinition::new).toList());
        route.setFilters(filters.stream().map(FilterDefinition::new).toList());
        return route;
    }

    private static RouteDefinition couponsUse() {
        return route(
                "busifavor-coupons-use",
                List.of("Path=" + USE, "Method=POST"),
                List.of("SigningAdmission=8s", "RequestBody=16KB", "BudgetAdmission=coupons-use", "WeChatPaySign"));
    }

    private static GatewayProperties gateway(List<String> defaults, RouteDefinition... routes) {
        GatewayProperties gateway = new GatewayProperties();
        gateway.setDefaultFilters(defaults.stream().map(FilterDefinition::new).toList());
        gateway.setRoutes(List.of(routes));
        return gateway;
    }

    private static final List<String> DEFAULTS = List.of("ErrorNormalization", "RequestContext", "Authenticate");

    @Test
    void theShippedRouteShapeGetsTheDoorWithItsBudget() {
        assertThat(FrontDoorConfiguration.doorRoutes(gateway(DEFAULTS, couponsUse())))
                .containsExactly(new DoorRoute(
                        HttpMethod.POST, USE, "busifavor-coupons-use", "https://api.mch.weixin.qq.com", "coupons-use"));
    }

    @Test
    void aRouteWithoutASigningAdmissionGetsTheDoorToo() {
        RouteDefinition route =
                route("query", List.of("Path=/v3/query", "Method=GET"), List.of("BudgetAdmission=coupons-query"));

        assertThat(FrontDoorConfiguration.doorRoutes(gateway(DEFAULTS, route)))
                .containsExactly(new DoorRoute(
                        HttpMethod.GET, "/v3/query", "query", "https://api.mch.weixin.qq.com", "coupons-query"));
    }

    @Test
    void noRouteTheDoorCouldNotMatchExactlyOrWhoseStagesItWouldNotStandFor() {
        RouteDefinition pattern =
                route("pattern", List.of("Path=/v3/{api}", "Method=POST"), List.of("BudgetAdmission=b"));
        RouteDefinition anyMethod = route("any-method", List.of("Path=/v3/any"), List.of("BudgetAdmission=b"));
        RouteDefinition host = route(
                "host", List.of("Path=/v3/host", "Method=POST", "Host=pay.example"), List.of("BudgetAdmission=b"));
        RouteDefinition noAdmission = route("no-admission", List.of("Path=/v3/plain", "Method=POST"), List.of());

        assertThat(FrontDoorConfiguration.doorRoutes(gateway(DEFAULTS, pattern, anyMethod, host, noAdmission)))
                .isEmpty();
        assertThat(FrontDoorConfiguration.doorRoutes(gateway(List.of("RequestContext", "Authenticate"), couponsUse())))
                .as("without the error normalization its refusal would not be the pipeline's")
                .isEmpty();
    }

    @Test
    void aPathAnotherRouteCouldMatchTooIsLeftToTheRouteLookup() {
        RouteDefinition wide = route("wide", List.of("Path=/v3/marketing/**"), List.of());

        assertThat(FrontDoorConfiguration.doorRoutes(gateway(DEFAULTS, wide, couponsUse())))
                .isEmpty();
        assertThat(FrontDoorConfiguration.doorRoutes(
                        gateway(DEFAULTS, couponsUse(), route("other", List.of("Path=/v3/other"), List.of()))))
                .hasSize(1);
    }
}
