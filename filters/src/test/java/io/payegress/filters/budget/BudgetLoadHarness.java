package io.payegress.filters.budget;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.tenant.Tenant;
import io.payegress.testing.RedisServerFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Measures the shared budget on a real Redis (not a test: run it by hand, see the class's main). Three limiters act
 * as three replicas; 20 tenants, each reaching one replica except two that reach all.
 */
public final class BudgetLoadHarness {

    private BudgetLoadHarness() {}

    /** Args: seconds per overload run (default 30), safety margin in ms (default 20), offered/s for latency. */
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Duration margin = Duration.ofMillis(args.length > 1 ? Integer.parseInt(args[1]) : 20);
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            int latencyOffered = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
            run(redis, "decision latency, cold JVM (warm-up)", margin, 5_000, latencyOffered, 10);
            redis.flushAll();
            run(redis, "decision latency", margin, 5_000, latencyOffered, 10);
            redis.flushAll();
            run(redis, "2x overload", margin, 500, 1_000, seconds);
            redis.flushAll();
            run(redis, "5x overload", margin, 500, 2_500, seconds);
        }
        Schedulers.shutdownNow();
    }

    private static void run(
            RedisServerFixture redis, String name, Duration margin, int limit, int offered, int seconds) {
        BudgetSettings settings = BudgetFilterTest.withMargin(BudgetSettings.defaults("coupons-use", limit), margin);
        List<Tenant> tenants = IntStream.range(0, 20)
                .mapToObj(i -> FairQueueTest.tenant("store-%03d".formatted(i), 1, OptionalInt.empty()))
                .toList();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<RedisClient> clients = new ArrayList<>();
        List<BudgetLimiter> limiters = new ArrayList<>();
        List<LoadRun.Replica> replicas = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            RedisClient client = RedisClients.failFast(redis.redisUri());
            clients.add(client);
            BudgetLimiter limiter = new BudgetLimiter(
                    settings,
                    new RedisBudgetStore(client.connect().reactive(), "1900000109", settings, Duration.ofMillis(150)),
                    "replica-" + r,
                    new BudgetMetrics(meters),
                    System::nanoTime,
                    Clock.systemUTC(),
                    Schedulers.parallel());
            limiters.add(limiter);
            int replica = r;
            replicas.add(new LoadRun.Replica(
                    limiter,
                    IntStream.range(0, 20)
                            .filter(i -> i % 3 == replica || i < 2)
                            .mapToObj(tenants::get)
                            .toList()));
        }
        LoadRun load = new LoadRun();
        load.run(replicas, offered, Mono.delay(Duration.ofSeconds(seconds)));
        limiters.forEach(BudgetLimiter::close);
        clients.forEach(RedisClient::shutdown);
        report(name, margin, limit, offered, seconds, load, meters, tenants);
    }

    private static void report(
            String name,
            Duration margin,
            int limit,
            int offered,
            int seconds,
            LoadRun load,
            SimpleMeterRegistry meters,
            List<Tenant> tenants) {
        double roundTrips = meters.find("payegress.budget.redis.roundtrips").tag("store", "redis").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double wasted = meters.find("payegress.budget.wasted.grants").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        long steady = load.grantsBetween(Duration.ofSeconds(2), Duration.ofSeconds(seconds - 1));
        double perSecond = steady / (double) (seconds - 3);
        System.out.printf(
                "%s: safety margin %s, limit %d/s, offered %d/s for %d s over 3 replicas, 20 tenants%n"
                        + "  offered %d, admitted %d, rejected %d, wasted grants %.0f%n"
                        + "  steady admitted %.1f/s = %.1f%% of the limit; max in any sliding 1 s: %d%n"
                        + "  Redis round trips %.0f = %.3f per admitted request%n"
                        + "  decision latency of requests admitted without waiting: p50 %.0f us, p99 %.0f us%n"
                        + "  Jain's index over tenants: %.4f%n",
                name,
                margin,
                limit,
                offered,
                seconds,
                load.offered.get(),
                load.admitted.get(),
                load.rejected.get(),
                wasted,
                perSecond,
                100 * perSecond / limit,
                load.maxInAnyWindow(Duration.ofSeconds(1)),
                roundTrips,
                roundTrips / Math.max(1, load.admitted.get()),
                load.admittedLatencyMicros(50),
                load.admittedLatencyMicros(99),
                load.jainIndex(tenants.stream().map(t -> t.id().value()).toList()));
    }
}
