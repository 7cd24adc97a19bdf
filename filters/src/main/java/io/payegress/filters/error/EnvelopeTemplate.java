package io.payegress.filters.error;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A compiled JSON template: objects, arrays and constants kept as written; a string that is exactly one
 * {@code ${name}} becomes the typed value; a string with placeholders inside text becomes text. Compiling checks
 * every placeholder name, so a typo fails at start-up, not on the first error.
 */
final class EnvelopeTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern INDEX = Pattern.compile("\\d{1,9}");
    private static final Object OMITTED = new Object();

    private final Object root;

    private EnvelopeTemplate(Object root) {
        this.root = root;
    }

    /** Compiles a template tree of maps, lists and scalars; {@code path} names its property in messages. */
    static EnvelopeTemplate compile(Object tree, String path) {
        return new EnvelopeTemplate(node(tree, path));
    }

    /** The template with the values filled in, as maps, lists and scalars ready for a JSON writer. */
    @Nullable
    Object fill(Map<String, Object> values, ErrorEnvelope.Absent absent) {
        Object filled = fill(root, values, absent);
        return filled == OMITTED ? null : filled;
    }

    private static Object node(@Nullable Object tree, String path) {
        if (tree instanceof Map<?, ?> map && !isBoundList(map)) {
            Map<String, Object> object = new LinkedHashMap<>();
            map.forEach((key, value) -> object.put(String.valueOf(key), node(value, path + "." + key)));
            return object;
        }
        List<?> list = tree instanceof Map<?, ?> map ? asList(map) : tree instanceof List<?> l ? l : null;
        if (list != null) {
            List<Object> array = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                array.add(node(list.get(i), path + "[" + i + "]"));
            }
            return array;
        }
        if (tree instanceof String text) {
            return text(text, path);
        }
        return new Constant(tree);
    }

    private static Object text(String text, String path) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        boolean any = false;
        while (matcher.find()) {
            any = true;
            String name = matcher.group(1);
            if (!ErrorPlaceholders.NAMES.contains(name)) {
                throw new InvalidErrorSchemaException(
                        path, "unknown placeholder ${" + name + "}; known: " + new TreeSet<>(ErrorPlaceholders.NAMES));
            }
        }
        if (!any) {
            return new Constant(text);
        }
        matcher.reset();
        if (matcher.matches()) {
            return new Whole(matcher.group(1));
        }
        return new Text(text);
    }

    /** Spring binds a YAML list inside a free-form map as a map with keys "0", "1", ...: that is a list. */
    private static boolean isBoundList(Map<?, ?> map) {
        if (map.isEmpty()) {
            return false;
        }
        for (Object key : map.keySet()) {
            if (!INDEX.matcher(String.valueOf(key)).matches()) {
                return false;
            }
        }
        return true;
    }

    private static List<Object> asList(Map<?, ?> map) {
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        map.forEach((key, value) -> byIndex.put(Integer.valueOf(String.valueOf(key)), value));
        return new ArrayList<>(byIndex.values());
    }

    private static @Nullable Object fill(Object node, Map<String, Object> values, ErrorEnvelope.Absent absent) {
        if (node instanceof Map<?, ?> object) {
            Map<String, @Nullable Object> filled = new LinkedHashMap<>();
            object.forEach((key, child) -> {
                Object value = fill(child, values, absent);
                if (value != OMITTED) {
                    filled.put((String) key, value);
                }
            });
            return filled;
        }
        if (node instanceof List<?> array) {
            List<@Nullable Object> filled = new ArrayList<>();
            for (Object child : array) {
                Object value = fill(child, values, absent);
                if (value != OMITTED) {
                    filled.add(value);
                }
            }
            return filled;
        }
        if (node instanceof Whole whole) {
            Object value = values.get(whole.name());
            return value != null ? value : absent == ErrorEnvelope.Absent.OMIT ? OMITTED : null;
        }
        if (node instanceof Text text) {
            return interpolate(text.raw(), values);
        }
        return ((Constant) node).value();
    }

    private static String interpolate(String raw, Map<String, Object> values) {
        Matcher matcher = PLACEHOLDER.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Object value = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private record Whole(String name) {}

    private record Text(String raw) {}

    private record Constant(@Nullable Object value) {}
}
