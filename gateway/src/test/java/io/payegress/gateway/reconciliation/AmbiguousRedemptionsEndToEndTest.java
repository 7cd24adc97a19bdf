package io.payegress.gateway.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.gateway.idempotency.Pos;
import io.payegress.gateway.idempotency.Pos.Answer;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.WeChatPaySimulator;
import io.payegress.simulator.coupon.Coupon;
import io.payegress.simulator.coupon.CouponState;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.fault.FaultPhase;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.fault.FaultType;
import io.payegress.simulator.stats.SimulatorStats;
import io.payegress.testing.RedisServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The randomized run of issue 12: three replicas on one Redis, every redemption sent in three copies at once to
 * different replicas by POS terminals that retry a retryable answer up to five times, and a simulator that redeems and
 * then answers 500 (5%) or drops the connection (2%). Run under each answer to a resent use_request_no, with Redis
 * stopped for 10 s in the middle, and with the coupon query failing half of the time. Counted against the simulator's
 * coupon state: no coupon redeemed twice, no redemption the POS was told failed that the simulator redeemed, no
 * success that never happened; COUPON_ALREADY_USED never (every coupon is fresh); every unknown outcome a 504.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AmbiguousRedemptionsEndToEndTest {

    private static final int RATE = Integer.getInteger("payegress.e2e.rate", 20);
    private static final int OUTAGE_RUN_SECONDS = Integer.getInteger("payegress.e2e.seconds", 12);
    private static final int QUERY_RUN_SECONDS = 4;
    /** A first, unasserted run, so that the measured ones do not pay for the JIT and the first connections. */
    private static final int WARM_UP_SECONDS = 2;
    /**
     * The query-failing run triples the faults after the commit (15% + 6%), so that enough redemptions need the query
     * for its failures to leave some outcomes unknown in a short run.
     */
    private static final double QUERY_RUN_FAULT_SCALE = 3;

    private static final Duration OUTAGE_STARTS = Duration.ofSeconds(1);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int COPIES = 3;
    private static final int POS_RETRIES = 5;
    /** One redemption in ten comes without openid (its store does not require one). */
    private static final int WITHOUT_OPENID_EVERY = 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path keys;

    private static RedisServerFixture redis;
    private static PaymentTestBed bed;
    private static final List<GatewayInstance> replicas = new ArrayList<>();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L);
    /** Each run's own short key, by its name: no two runs share a use_request_no or a coupon. */
    private static final Map<String, String> RUN_KEYS = new HashMap<>();

    @BeforeAll
    static void start() {
        redis = RedisServerFixture.start();
        bed = PaymentTestBed.start(keys, 0);
        Map<String, Object> shared = Map.ofEntries(
                Map.entry("payegress.state.store", "redis"),
                Map.entry("spring.data.redis.host", redis.host()),
                Map.entry("spring.data.redis.port", redis.port()),
                Map.entry("payegress.budget.coupons-use.limit", "1000000"),
                Map.entry("payegress.reconciliation.query.limit", "100000"),
                Map.entry("payegress.budget.max-wait", "5s"),
                // three gateways, the simulator and the POS share one JVM on two cores: a starved event loop must not
                // turn into timeouts the simulator did not inject (each one an outcome unknown, retried by the POS)
                Map.entry("payegress.upstream.response-timeout", "5s"),
                Map.entry("payegress.state.command-timeout", "1s"),
                // the dedupe timeout this run was written against (the shipped default is now 2 s)
                Map.entry("payegress.state.dedupe-timeout", "1s"),
                Map.entry("spring.data.redis.timeout", "1s"),
                Map.entry(PaymentTestBed.TEST_LATE_TOLERANCE, "1s"));
        for (int i = 0; i < 3; i++) {
            replicas.add(bed.startGateway(shared));
        }
        run("warm-up", ResendBehaviour.ALREADY_EXISTS, false, false, WARM_UP_SECONDS);
    }

    @AfterAll
    static void stop() {
        replicas.forEach(GatewayInstance::close);
        bed.close();
        redis.close();
    }

    @Test
    @Order(1)
    void withTheQueryFailingHalfTheTimeUnknownOutcomesAre504RetryableAndNoneAlreadyUsed() {
        // the faults are drawn at random: a short run can, rarely, leave no outcome unknown (two clean-clone CI runs,
        // sessions 13 and 16), and then it says nothing of how they are answered; every run is checked, up to three
        Tally tally = queryFailingRun("query-failing");
        for (int again = 1; again <= 2 && tally.unknownAnswers == 0; again++) {
            tally = queryFailingRun("query-failing-again-" + again);
        }

        assertThat(tally.unknownAnswers)
                .as("unknown outcomes answered over the run")
                .isPositive();
    }

    private static Tally queryFailingRun(String name) {
        Tally tally = run(name, ResendBehaviour.ALREADY_EXISTS, false, true, QUERY_RUN_SECONDS);
        tally.assertNoWrongAnswer();
        assertThat(tally.finalAnswers)
                .as("every final answer that is not a success is retryable: 504 UPSTREAM_OUTCOME_UNKNOWN or another")
                .allSatisfy((code, count) -> assertThat(code).doesNotContain("final"));
        return tally;
    }

    @Test
    @Order(2)
    void resentNumbersAnsweredAlreadyExistsWithRedisStoppedForTenSeconds() {
        Tally tally = run("already-exists", ResendBehaviour.ALREADY_EXISTS, true, false, OUTAGE_RUN_SECONDS);

        tally.assertNoWrongAnswer();
        assertThat(tally.reconciledByUs)
                .as("redemptions found ours by the coupon query")
                .isPositive();
    }

    @Test
    @Order(3)
    void resentNumbersReplayedWithRedisStoppedForTenSeconds() {
        Tally tally = run("replay", ResendBehaviour.REPLAY, true, false, OUTAGE_RUN_SECONDS);

        tally.assertNoWrongAnswer();
    }

    /** What one POS copy finally got, after its retries. */
    private record Final(int number, boolean openid, Answer answer, long millis) {}

    private static Tally run(String name, ResendBehaviour resend, boolean outage, boolean queryFaults, int seconds) {
        WeChatPaySimulator sim = bed.simulator();
        await().atMost(Duration.ofSeconds(40)).until(() -> replicas.stream().allMatch(r -> pending(r) == 0));
        sim.reset();
        sim.setLimitPerSecond(1_000_000);
        sim.setResend(resend);
        double scale = queryFaults ? QUERY_RUN_FAULT_SCALE : 1;
        sim.faults()
                .add(FaultSpec.sometimes(0.05 * scale, FaultType.SYSTEM_ERROR_500, FaultPhase.AFTER)
                        .onPath(WeChatPaySimulator.USE_PATH))
                .add(FaultSpec.sometimes(0.02 * scale, FaultType.CONNECTION_RESET, FaultPhase.AFTER)
                        .onPath(WeChatPaySimulator.USE_PATH));
        if (queryFaults) {
            sim.faults()
                    .add(FaultSpec.sometimes(0.4, FaultType.SYSTEM_ERROR_500, FaultPhase.BEFORE)
                            .onPath(WeChatPaySimulator.QUERY_PATH))
                    .add(FaultSpec.sometimes(0.15, FaultType.CONNECTION_RESET, FaultPhase.BEFORE)
                            .onPath(WeChatPaySimulator.QUERY_PATH));
        }
        Map<String, Double> before = meters();
        List<WebClient> clients = replicas.stream().map(r -> pos(r.baseUrl())).toList();
        int redemptions = RATE * seconds;
        Mono<Void> redisOutage = outage
                ? Mono.delay(OUTAGE_STARTS)
                        .doOnNext(t -> redis.stop())
                        .then(Mono.delay(OUTAGE))
                        .doOnNext(t -> redis.restart())
                        .then()
                        .cache()
                : Mono.empty();
        redisOutage.subscribe();
        long started = System.nanoTime();

        List<Final> finals = Flux.interval(Duration.ofMillis(1000 / RATE))
                .take(redemptions)
                .onBackpressureBuffer()
                .flatMap(
                        i -> Flux.range(0, COPIES)
                                .flatMap(copy ->
                                        pos(clients.get((int) ((i + copy) % replicas.size())), name, i.intValue())),
                        Integer.MAX_VALUE) // every POS the run starts may be in flight: arrivals keep the rate
                .collectList()
                .block(Duration.ofMinutes(3));
        long answered = System.nanoTime();
        redisOutage.block(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(40)).until(() -> replicas.stream().allMatch(r -> pending(r) == 0));
        System.out.printf(
                "[ambiguous-redemptions] run %s: last POS answer after %.1f s, late checks done after %.1f s%n",
                name, (answered - started) / 1e9, (System.nanoTime() - started) / 1e9);

        Tally tally = new Tally(name, resend, outage, queryFaults, redemptions, finals, sim, before, meters());
        System.out.println(tally.report());
        return tally;
    }

    /**
     * The POS terminals' client: a pool as large as the open-loop load needs (Reactor Netty's default, 16 connections
     * per host, would queue the terminals in the test, not at the gateway).
     */
    private static WebClient pos(String baseUrl) {
        HttpClient http = HttpClient.create(ConnectionProvider.builder("pos")
                .maxConnections(4_000)
                .pendingAcquireMaxCount(-1)
                .build());
        return WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }

    /**
     * A use_request_no of at most 20 characters (the route allows 32), the run's own: a run that reused an earlier
     * run's numbers would be answered that run's stored results (a rerun of the query-failing run once was, its
     * coupons fresh and unused at the simulator).
     */
    private static String number(String run, int i) {
        return "m" + RUN + key(run) + "-" + i;
    }

    /** The run's fresh coupon for redemption i; within the schema's 32 characters whatever the run's name. */
    private static String coupon(String run, int i) {
        return "load-" + RUN + "-" + key(run) + "-" + i;
    }

    private static String key(String run) {
        synchronized (RUN_KEYS) {
            return RUN_KEYS.computeIfAbsent(run, name -> Integer.toString(RUN_KEYS.size()));
        }
    }

    private static Mono<Final> pos(WebClient client, String run, int i) {
        boolean openid = i % WITHOUT_OPENID_EVERY != WITHOUT_OPENID_EVERY - 1;
        String body = PaymentTestBed.redemption(coupon(run, i), number(run, i));
        String sent = openid ? body : body.replace(",\"openid\":\"xsd3434454567676\"", "");
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return attempt(client, sent, 0)
                    .map(answer -> new Final(i, openid, answer, (System.nanoTime() - start) / 1_000_000));
        });
    }

    /** One POS: sends, and on a retryable answer (or no answer) sends the same body again, up to five times. */
    private static Mono<Answer> attempt(WebClient client, String body, int retry) {
        return Pos.send(client, body)
                .onErrorResume(error -> Mono.just(new Answer(0, "", "", "")))
                .flatMap(answer -> retryable(answer) && retry < POS_RETRIES
                        ? Mono.delay(Duration.ofMillis(100L << retry)).then(attempt(client, body, retry + 1))
                        : Mono.just(answer));
    }

    private static boolean retryable(Answer answer) {
        if (answer.status() == 0) {
            return true;
        }
        if (answer.status() == 200) {
            return false;
        }
        return json(answer).path("retryable").asBoolean(false);
    }

    private static JsonNode json(Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static double pending(GatewayInstance gateway) {
        return gateway.bean(MeterRegistry.class)
                .get("payegress.reconciliation.pending")
                .gauge()
                .value();
    }

    /** Every reconciliation, unknown-outcome and openid-missing counter, summed over the replicas, by name and tags. */
    private static Map<String, Double> meters() {
        Map<String, Double> sums = new TreeMap<>();
        for (GatewayInstance replica : replicas) {
            MeterRegistry registry = replica.bean(MeterRegistry.class);
            for (String name : List.of(
                    "payegress.reconciliations",
                    "payegress.unknown.outcomes",
                    "payegress.reconciliation.openid.missing")) {
                for (Counter counter : registry.find(name).counters()) {
                    String key = name.substring("payegress.".length()) + tags(counter);
                    sums.merge(key, counter.count(), Double::sum);
                }
            }
        }
        return sums;
    }

    /** The counter's trigger, result and cause tags, in that order, as {@code {trigger,result}} or {@code {cause}}. */
    private static String tags(Counter counter) {
        StringBuilder tags = new StringBuilder();
        for (String key : List.of("trigger", "result", "cause")) {
            String value = counter.getId().getTag(key);
            if (value != null) {
                tags.append(tags.length() == 0 ? "{" : ",").append(value);
            }
        }
        return tags.length() == 0 ? "" : tags.append('}').toString();
    }

    /** The run's counts, against the simulator's coupon state. */
    private static final class Tally {

        final String name;
        final int redemptions;
        final SimulatorStats stats;
        final Map<String, Long> finalAnswers = new TreeMap<>();
        final Map<String, Double> meters = new TreeMap<>();
        final List<String> wrong = new ArrayList<>();
        final String conditions;
        long redeemed;
        long succeeded;
        long toldFailedButRedeemed;
        long successNeverHappened;
        long alreadyUsed;
        long redeemedTwice;
        long lostWithOpenid;
        long lostWithoutOpenid;
        long unresolvedNotRedeemed;
        long unknownAnswers;
        long reconciledByUs;
        String copyMillis = "";

        Tally(
                String name,
                ResendBehaviour resend,
                boolean outage,
                boolean queryFaults,
                int redemptions,
                List<Final> finals,
                WeChatPaySimulator sim,
                Map<String, Double> before,
                Map<String, Double> after) {
            this.name = name;
            this.redemptions = redemptions;
            this.stats = sim.stats();
            this.conditions = "resend " + resend
                    + (queryFaults
                            ? ", redeemed then 500 (15%) or dropped (6%)"
                            : ", redeemed then 500 (5%) or dropped (2%)")
                    + (outage ? ", Redis stopped " + OUTAGE.toSeconds() + " s" : "")
                    + (queryFaults ? ", coupon query failing 40% (500) + 15% (reset)" : "");
            after.forEach((key, value) -> {
                double delta = value - before.getOrDefault(key, 0.0);
                if (delta > 0) {
                    meters.put(key, delta);
                }
            });
            unknownAnswers = Math.round(meters.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("unknown.outcomes"))
                    .mapToDouble(Map.Entry::getValue)
                    .sum());
            reconciledByUs = Math.round(meters.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("reconciliations")
                            && e.getKey().endsWith(",redeemed}"))
                    .mapToDouble(Map.Entry::getValue)
                    .sum());
            count(finals, sim);
        }

        private void count(List<Final> finals, WeChatPaySimulator sim) {
            assertThat(finals).hasSize(redemptions * COPIES);
            long[] millis = finals.stream().mapToLong(Final::millis).sorted().toArray();
            copyMillis = "p50 " + millis[millis.length / 2] + " ms, p99 " + millis[millis.length * 99 / 100]
                    + " ms, max " + millis[millis.length - 1] + " ms";
            Map<Integer, List<Final>> byNumber = new TreeMap<>();
            finals.forEach(f ->
                    byNumber.computeIfAbsent(f.number(), n -> new ArrayList<>()).add(f));
            byNumber.forEach((i, copies) -> {
                Coupon coupon = sim.state().coupon(coupon(name, i)).orElseThrow();
                boolean ours =
                        coupon.state() == CouponState.USED && number(name, i).equals(coupon.useRequestNo());
                if (coupon.state() == CouponState.USED && !ours) {
                    redeemedTwice++;
                    wrong.add(i + ": coupon used under " + coupon.useRequestNo());
                }
                redeemed += ours ? 1 : 0;
                boolean success = false;
                for (Final copy : copies) {
                    success |= judge(i, copy, ours, coupon);
                }
                succeeded += success ? 1 : 0;
                if (ours && !success) {
                    if (copies.get(0).openid()) {
                        lostWithOpenid++;
                    } else {
                        lostWithoutOpenid++;
                    }
                }
                unresolvedNotRedeemed += !ours && !success ? 1 : 0;
            });
            redeemedTwice += Math.max(0, stats.redemptions() - redeemed);
        }

        /** Counts one copy's final answer; true for a success. */
        private boolean judge(int i, Final copy, boolean ours, Coupon coupon) {
            Answer answer = copy.answer();
            if (answer.status() == 200) {
                finalAnswers.merge("200", 1L, Long::sum);
                String time = json(answer).path("wechatpay_use_time").asString("");
                if (!ours || !time.equals(coupon.wechatpayUseTime())) {
                    successNeverHappened++;
                    wrong.add(i + ": 200 " + answer.body() + " but the coupon is " + coupon);
                }
                return true;
            }
            JsonNode body = json(answer);
            String code = body.path("code").asString("no answer");
            boolean retryable = answer.status() == 0 || body.path("retryable").asBoolean(false);
            finalAnswers.merge(answer.status() + " " + code + (retryable ? " retryable" : " final"), 1L, Long::sum);
            if ("COUPON_ALREADY_USED".equals(code)) {
                alreadyUsed++;
                wrong.add(i + ": COUPON_ALREADY_USED for a fresh coupon");
            }
            if (!retryable && ours) {
                toldFailedButRedeemed++;
                wrong.add(i + ": told " + answer.status() + " " + code + " (final) but the simulator redeemed it");
            }
            return false;
        }

        void assertNoWrongAnswer() {
            assertThat(wrong).as("wrong answers of run " + name).isEmpty();
            assertThat(redeemedTwice).as("coupons redeemed twice").isZero();
            assertThat(toldFailedButRedeemed)
                    .as("redemptions the POS was told failed (final) but redeemed")
                    .isZero();
            assertThat(successNeverHappened).as("successes that never happened").isZero();
            assertThat(alreadyUsed).as("COUPON_ALREADY_USED answers").isZero();
            assertThat(redeemed).as("redemptions at the simulator").isPositive();
        }

        String report() {
            return String.format(
                    "[ambiguous-redemptions] run %s (%s): %d redemptions x %d copies, POS retrying up to %d times%n"
                            + "  simulator: %d redeemed (%d redemptions counted), %d coupons/use calls, %d queries,"
                            + " %d duplicate use_request_no%n"
                            + "  POS: %d redemptions told success; redeemed but no copy told success: %d with openid,"
                            + " %d without; not redeemed and unresolved: %d%n"
                            + "  final answers per copy: %s; time to it (retries included): %s%n"
                            + "  gateway: %s%n"
                            + "  wrong: redeemed twice %d, told failed but redeemed %d, success that never happened %d,"
                            + " COUPON_ALREADY_USED %d",
                    name,
                    conditions,
                    redemptions,
                    COPIES,
                    POS_RETRIES,
                    redeemed,
                    stats.redemptions(),
                    stats.totalCalls(),
                    stats.queries(),
                    stats.duplicateUseRequestNo(),
                    succeeded,
                    lostWithOpenid,
                    lostWithoutOpenid,
                    unresolvedNotRedeemed,
                    finalAnswers,
                    copyMillis,
                    meters,
                    redeemedTwice,
                    toldFailedButRedeemed,
                    successNeverHappened,
                    alreadyUsed);
        }
    }
}
