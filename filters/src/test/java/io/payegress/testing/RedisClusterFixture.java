package io.payegress.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Masters (no replicas) in cluster mode on free ports with all 16384 slots assigned by CLUSTER ADDSLOTS and joined by
 * CLUSTER MEET; start returns once every node reports cluster_state:ok and knows every other node (bounded poll).
 */
public final class RedisClusterFixture implements AutoCloseable {

    private static final int SLOTS = 16_384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisProcess> nodes;

    private RedisClusterFixture(List<RedisProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts {@code masters} nodes (at least 1) and forms the cluster. */
    public static RedisClusterFixture start(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("a cluster needs at least one master");
        }
        List<RedisProcess> nodes = new ArrayList<>();
        RedisClusterFixture cluster = new RedisClusterFixture(nodes);
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisProcess.start(
                        ProcessRedisBackend.scratchDir(),
                        List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")));
            }
            RedisClusterFixture formed = new RedisClusterFixture(nodes);
            formed.form();
            return formed;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** One URI per master, e.g. {@code redis://127.0.0.1:7001}; any of them seeds a cluster client. */
    public List<String> nodeUris() {
        return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList();
    }

    private void form() {
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            int from = SLOTS * i / n;
            int to = SLOTS * (i + 1) / n;
            List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot < to; slot++) {
                args.add(String.valueOf(slot));
            }
            admin(nodes.get(i), args.toArray(String[]::new));
            admin(nodes.get(i), "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
        }
        for (int i = 1; i < n; i++) {
            admin(
                    nodes.get(0),
                    "CLUSTER",
                    "MEET",
                    "127.0.0.1",
                    String.valueOf(nodes.get(i).port()));
        }
        await("cluster of " + n + " masters to reach cluster_state:ok")
                .atMost(FORM_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> nodes.stream().allMatch(node -> healthy(node, n)));
    }

    private static boolean healthy(RedisProcess node, int expectedNodes) {
        String info = admin(node, "CLUSTER", "INFO");
        return info.contains("cluster_state:ok")
                && info.contains("cluster_slots_assigned:" + SLOTS)
                && info.contains("cluster_known_nodes:" + expectedNodes);
    }

    private static String admin(RedisProcess node, String... command) {
        try (RespConnection conn = RespConnection.open("127.0.0.1", node.port())) {
            return conn.text(command);
        } catch (IOException e) {
            throw new UncheckedIOException("cluster node " + node.port() + " unreachable", e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::kill);
    }
}
