package io.payegress.gateway.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The gateways' Prometheus samples summed over replicas ({@code name{labels}} to value), and what a run adds to
 * them: decisions by outcome, Redis round trips, wasted grants, and quantiles of the budget's histograms.
 */
record GatewayMeters(Map<String, Double> samples) {

    /** Parses and sums the {@code /actuator/prometheus} texts of several gateways. */
    static GatewayMeters parse(List<String> scrapes) {
        Map<String, Double> samples = new HashMap<>();
        for (String scrape : scrapes) {
            for (String line : scrape.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    samples.merge(line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Double::sum);
                } catch (NumberFormatException ignored) {
                    // a sample this tool does not read
                }
            }
        }
        return new GatewayMeters(samples);
    }

    /** What happened between {@code before} and this scrape (gauges are meaningless as deltas: read them raw). */
    GatewayMeters minus(GatewayMeters before) {
        Map<String, Double> delta = new HashMap<>();
        samples.forEach((name, value) -> delta.put(name, value - before.samples.getOrDefault(name, 0.0)));
        return new GatewayMeters(delta);
    }

    /** The sum of samples of this metric whose labels contain every given {@code label="value"} fragment. */
    double sum(String metric, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(metric + "{") || e.getKey().equals(metric))
                .filter(e -> containsAll(e.getKey(), labels))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** The values of one label across the samples of a metric, summed per value. */
    Map<String, Double> byLabel(String metric, String label) {
        Map<String, Double> values = new TreeMap<>();
        samples.forEach((name, value) -> {
            if (name.startsWith(metric + "{")) {
                String found = label(name, label);
                if (found != null) {
                    values.merge(found, value, Double::sum);
                }
            }
        });
        return values;
    }

    /** A quantile (0..1) of a Prometheus histogram's bucket deltas, in seconds: the upper bound of its bucket. */
    double quantile(String histogram, double q) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Predicate<String> isBucket = name -> name.startsWith(histogram + "_bucket{");
        samples.forEach((name, value) -> {
            if (isBucket.test(name)) {
                String le = label(name, "le");
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, value, Double::sum);
            }
        });
        if (buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double target = q * buckets.lastEntry().getValue();
        List<Map.Entry<Double, Double>> ordered = new ArrayList<>(buckets.entrySet());
        for (Map.Entry<Double, Double> bucket : ordered) {
            if (bucket.getValue() >= target) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static boolean containsAll(String name, String... labels) {
        for (String label : labels) {
            if (!name.contains(label)) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String label(String name, String label) {
        String key = label + "=\"";
        int at = name.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        return name.substring(from, name.indexOf('"', from));
    }
}
