package io.payegress.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedisFixturesTest {

    @Test
    void standaloneServerAnswersAndLosesDataAcrossStopAndRestartOnTheSamePort() {
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            assertThat(redis.redisUri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            int port = redis.port();
            String reply = withClient(redis, c -> c.sync().set("k", "v"));
            assertThat(reply).isEqualTo("OK");

            redis.stop();
            assertThatThrownBy(() -> RespConnection.open(redis.host(), port)).isInstanceOf(IOException.class);

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            String after = withClient(redis, c -> c.sync().get("k"));
            assertThat(after).isNull();
        }
    }

    @Test
    void flushAllDeletesEveryKey() {
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            withClient(redis, c -> c.sync().set("k", "v"));
            redis.flushAll();
            Long size = withClient(redis, c -> c.sync().dbsize());
            assertThat(size).isZero();
        }
    }

    @Test
    void closeKillsTheServer() {
        RedisServerFixture redis = RedisServerFixture.start();
        redis.close();
        assertThatThrownBy(() -> RespConnection.open(redis.host(), redis.port()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void clusterOfThreeMastersServesKeysInEverySlotRange() {
        try (RedisClusterFixture cluster = RedisClusterFixture.start(3)) {
            assertThat(cluster.nodeUris()).hasSize(3);
            RedisClusterClient client = RedisClusterClient.create(
                    cluster.nodeUris().stream().map(RedisURI::create).toList());
            try (StatefulRedisClusterConnection<String, String> conn = client.connect()) {
                Set<String> owners = new HashSet<>();
                IntStream.range(0, 60).forEach(i -> {
                    String key = "key-" + i;
                    conn.sync().set(key, "v" + i);
                    assertThat(conn.sync().get(key)).isEqualTo("v" + i);
                    owners.add(conn.getPartitions()
                            .getPartitionBySlot(SlotHash.getSlot(key))
                            .getNodeId());
                });
                assertThat(owners).hasSize(3);
                assertThat(conn.sync().clusterInfo()).contains("cluster_state:ok");
            } finally {
                client.shutdown();
            }
        }
    }

    private static <T> T withClient(
            RedisServerFixture redis, java.util.function.Function<StatefulRedisConnection<String, String>, T> call) {
        RedisClient client = RedisClient.create(redis.redisUri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            return call.apply(conn);
        } finally {
            client.shutdown();
        }
    }
}
