package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.testing.RedisExtension;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/** The Redis-shared limiters of a replica, on a real Redis. */
class BudgetLimitersTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private final RedisClient client = RedisClients.failFast(REDIS.redisUri());

    @AfterEach
    void close() {
        client.shutdown();
    }

    @Test
    void grantsAreHandedOutOnTheBudgetsOwnThreadNotOnTheSharedParallelScheduler() {
        ThreadFactory timerThread = task -> {
            Thread thread = new Thread(task, "payegress-budget");
            thread.setDaemon(true);
            return thread;
        };
        try (BudgetLimiters limiters = BudgetLimiters.redis(
                client.connect().reactive(),
                "1900000109",
                new SimpleMeterRegistry(),
                Duration.ofSeconds(1),
                timerThread)) {
            BudgetLimiter limiter = limiters.limiter(BudgetSettings.defaults("coupons-use", 10));

            String thread = limiter.acquire(
                            "coupons-use", FairQueueTest.tenant("store-001", 1, OptionalInt.empty()), null)
                    .flatMap(permit ->
                            Mono.fromSupplier(() -> Thread.currentThread().getName()))
                    .block(Duration.ofSeconds(5));

            assertThat(thread).startsWith("payegress-budget");
        }
    }
}
