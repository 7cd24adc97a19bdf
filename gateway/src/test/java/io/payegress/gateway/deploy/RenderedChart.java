package io.payegress.gateway.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The objects of one {@code helm template} output, looked up by kind, with typed access to nested fields. */
record RenderedChart(List<Map<String, Object>> objects) {

    static RenderedChart parse(String manifests) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(manifests)) {
            if (document instanceof Map<?, ?> map) {
                objects.add(cast(map));
            }
        }
        return new RenderedChart(List.copyOf(objects));
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    List<String> kinds() {
        return objects.stream().map(o -> (String) o.get("kind")).toList();
    }

    /** The value at a dotted path of map keys ({@code spec.template.spec}); a numeric segment indexes a list. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (current instanceof List<?> list) {
                current = list.get(Integer.parseInt(key));
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else {
                throw new AssertionError("no " + path + ": stopped at " + key);
            }
            if (current == null) {
                throw new AssertionError("no " + path + ": missing " + key);
            }
        }
        return current;
    }

    static Map<String, Object> map(Object node, String path) {
        return cast((Map<?, ?>) at(node, path));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String path) {
        return (List<Map<String, Object>>) at(node, path);
    }

    static Map<String, Object> yaml(String text) {
        return cast(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
