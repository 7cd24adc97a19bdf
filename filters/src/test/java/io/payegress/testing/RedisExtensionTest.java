package io.payegress.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Test
    @Order(1)
    void firstTestWritesAKeyAndStopsTheServer() throws IOException {
        try (RespConnection conn = RespConnection.open(REDIS.host(), REDIS.port())) {
            assertThat(conn.text("SET", "left-behind", "1")).isEqualTo("OK");
        }
        REDIS.server().stop();
    }

    @Test
    @Order(2)
    void nextTestGetsARunningEmptyServerOnTheSamePort() throws IOException {
        try (RespConnection conn = RespConnection.open(REDIS.host(), REDIS.port())) {
            assertThat(conn.command("DBSIZE")).isEqualTo(0L);
        }
    }
}
