package io.payegress.gateway.errors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The routes of the production application.yml as properties, with every WeChatPayForward response-timeout replaced.
 * Spring binds a list from one property source only, so a test that changes one route argument passes all of them;
 * the routes stay the real ones, whatever stages they hold.
 */
final class RouteTimeouts {

    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes[";

    private RouteTimeouts() {}

    static Map<String, Object> withForwardResponseTimeout(Duration timeout) {
        Map<String, Object> routes = new LinkedHashMap<>();
        for (PropertySource<?> source : load()) {
            EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
            for (String name : enumerable.getPropertyNames()) {
                if (name.startsWith(ROUTES)) {
                    routes.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
        }
        Map<String, Object> changed = new LinkedHashMap<>(routes);
        int forwards = 0;
        for (Map.Entry<String, Object> property : routes.entrySet()) {
            if (property.getKey().endsWith(".name") && "WeChatPayForward".equals(property.getValue())) {
                String filter = property.getKey().substring(0, property.getKey().length() - ".name".length());
                changed.put(filter + ".args.response-timeout", timeout.toMillis() + "ms");
                forwards++;
            }
        }
        if (forwards == 0) {
            throw new IllegalStateException("no WeChatPayForward filter with args in application.yml");
        }
        return changed;
    }

    private static List<PropertySource<?>> load() {
        try {
            return new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
