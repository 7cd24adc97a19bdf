package io.payegress.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.door.DoorHandler;
import io.payegress.filters.door.DoorRoute;
import io.payegress.filters.door.FrontDoor;
import io.payegress.filters.door.RequestsMetric;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.tenant.TenantDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.GatewayMetricsProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.filter.GatewayMetricsFilter;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.netty.NettyPipeline;

/**
 * The door ({@link FrontDoor}): the budget admission's refusals made below the web framework, for every route its
 * definition lets the door match exactly. On by default; {@code payegress.door.enabled=false} leaves every request to
 * the route's stages (the same answers, at the framework's cost).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "payegress.door.enabled", matchIfMissing = true)
public class FrontDoorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FrontDoorConfiguration.class);

    /** The default filters the door stands in for, besides the route's own door stages. */
    private static final Set<String> DOOR_DEFAULTS = Set.of("ErrorNormalization", "RequestContext", "Authenticate");

    @Bean
    FrontDoor frontDoor(
            GatewayProperties gateway,
            TenantDirectory tenants,
            BudgetLimiters limiters,
            MerchantErrorResponder responder,
            MeterRegistry meters,
            ObjectProvider<GatewayMetricsFilter> metricsFilter,
            ObjectProvider<GatewayMetricsProperties> metrics) {
        // the gateway times its answers only where its metrics filter runs (on unless
        // spring.cloud.gateway.server.webflux.metrics.enabled=false)
        GatewayMetricsProperties gatewayMetrics = metrics.getIfAvailable();
        RequestsMetric requests = metricsFilter.getIfAvailable() == null || gatewayMetrics == null
                ? null
                : new RequestsMetric(meters, gatewayMetrics.getPrefix() + ".requests", gatewayMetrics.getTags());
        FrontDoor door = new FrontDoor(doorRoutes(gateway), tenants.tenants(), limiters, responder, requests);
        log.info(
                "the door runs the budget admission of routes {}",
                door.routes().stream().map(DoorRoute::id).sorted().toList());
        return door;
    }

    /**
     * The door on every HTTP/1.1 connection of the web server, between its HTTP codec and the server's own handling
     * ({@link DoorHandler}): added when the connection's pipeline is set up, so it stays for the connection's life.
     * A connection without that pipeline (HTTP/2) gets none; its requests meet their route's admission stage.
     */
    @Bean
    NettyServerCustomizer frontDoorOnEveryConnection(FrontDoor door, Drain drain) {
        return server -> server.doOnChannelInit((observer, channel, address) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec
                    && pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
                pipeline.addBefore(NettyPipeline.HttpTrafficHandler, DoorHandler.NAME, new DoorHandler(door, drain));
            }
        });
    }

    /**
     * The routes the door can match exactly: a {@code BudgetAdmission} filter, one {@code Method} and one literal
     * {@code Path} predicate and no other, and no other route whose paths could match the same request (the route
     * lookup decides those); none unless every route has the default filters the door stands in for. Read once at
     * start from the gateway's properties, where this application defines every route (no {@code RouteLocator} bean;
     * the actuator's gateway endpoint is read-only, so the routes change only with a restart).
     */
    static List<DoorRoute> doorRoutes(GatewayProperties gateway) {
        Set<String> defaults = gateway.getDefaultFilters().stream()
                .map(FilterDefinition::getName)
                .collect(Collectors.toSet());
        if (!defaults.containsAll(DOOR_DEFAULTS)) {
            return List.of();
        }
        List<DoorRoute> candidates = new ArrayList<>();
        for (RouteDefinition route : gateway.getRoutes()) {
            DoorRoute door = doorRoute(route);
            if (door != null) {
                candidates.add(door);
            }
        }
        PathPatternParser parser = new PathPatternParser();
        List<DoorRoute> routes = new ArrayList<>();
        for (DoorRoute door : candidates) {
            PathContainer path = PathContainer.parsePath(door.path());
            boolean shared = gateway.getRoutes().stream()
                    .filter(other -> !other.getId().equals(door.id()))
                    .anyMatch(other -> {
                        List<String> patterns = paths(other);
                        return patterns.isEmpty()
                                || patterns.stream()
                                        .anyMatch(p -> parser.parse(p).matches(path));
                    });
            if (!shared) {
                routes.add(door);
            }
        }
        return routes;
    }

    private static @Nullable DoorRoute doorRoute(RouteDefinition route) {
        String budget = null;
        for (FilterDefinition filter : route.getFilters()) {
            if (filter.getName().equals("BudgetAdmission")) {
                budget = argument(filter.getArgs(), "name");
            }
        }
        List<PredicateDefinition> predicates = route.getPredicates();
        if (budget == null || predicates.size() != 2) {
            return null;
        }
        String path = null;
        String method = null;
        for (PredicateDefinition predicate : predicates) {
            if (predicate.getName().equals("Path") && predicate.getArgs().size() == 1) {
                path = predicate.getArgs().values().iterator().next();
            } else if (predicate.getName().equals("Method")
                    && predicate.getArgs().size() == 1) {
                method = predicate.getArgs().values().iterator().next();
            }
        }
        if (path == null || method == null || !literal(path)) {
            return null;
        }
        return new DoorRoute(
                HttpMethod.valueOf(method.trim()),
                path,
                route.getId(),
                route.getUri().toString(),
                budget);
    }

    /** The named argument, or the shortcut's only one. */
    private static @Nullable String argument(Map<String, String> args, String name) {
        if (args.containsKey(name)) {
            return args.get(name);
        }
        return args.size() == 1 ? args.values().iterator().next() : null;
    }

    private static List<String> paths(RouteDefinition route) {
        return route.getPredicates().stream()
                .filter(predicate -> predicate.getName().equals("Path"))
                .flatMap(predicate -> predicate.getArgs().values().stream())
                .flatMap(value -> Set.of(value.split(",")).stream())
                .map(String::trim)
                .toList();
    }

    private static boolean literal(String path) {
        return path.startsWith("/") && path.chars().noneMatch(c -> c == '{' || c == '*' || c == '?' || c == ',');
    }
}
