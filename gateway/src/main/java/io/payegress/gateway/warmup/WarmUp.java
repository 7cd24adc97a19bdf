package io.payegress.gateway.warmup;

import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.RequestSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Runs the replica's hot code before it reports ready. Spring Boot reports a replica ready (readiness
 * {@code ACCEPTING_TRAFFIC}, which Kubernetes routes by) only after its application runners have returned, and this
 * runner returns once its rounds are done or {@code max-duration} has passed. Each round, 8 at a time:
 *
 * <ul>
 *   <li>asks the replica's own liveness endpoint over loopback with the client WeChat's calls use, on WeChat's event
 *       loop: the HTTP client and server, the route lookup and the web framework run as a payment request runs them;
 *   <li>pings Redis over the shared-state connection (a read of nothing: no key is written);
 *   <li>every tenth round, signs a made-up body with the merchant key, as the signing stage does; the signature is
 *       thrown away.
 * </ul>
 *
 * <p>Nothing is sent to WeChat Pay, no grant of the shared limit is taken and no {@code use_request_no} is claimed.
 * A part that fails (Redis down at start, say) is left out of the rounds after it, so it costs no waits.
 *
 * <p>Why: a new replica's first requests otherwise run interpreted while the JIT compiles them, and under load it
 * builds a backlog in its first seconds that takes tens of seconds to drain. On the 2-core bench, three replicas
 * started together under 80% of the limit answered 73-82% of their first 60 s with 200 and refused 4,427-6,391
 * requests with {@code 503} at the signing admission (six runs); with the warm-up 78-91% and 2,251-4,745 (six runs
 * alternated with them; docs/benchmarks.md, session 38).
 */
public final class WarmUp implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final int CONCURRENCY = 8;
    private static final int SIGN_EVERY = 10;
    private static final byte[] BODY =
            "{\"stock_id\":\"100088\",\"coupon_code\":\"warm-up\",\"appid\":\"wx0\",\"use_request_no\":\"warm-up\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private final WarmUpProperties settings;
    private final HttpClient client;
    private final @Nullable ReactiveRedisConnectionFactory redis;
    private final MerchantKeySource keys;
    private final RequestSigner signer;
    private final PortSource port;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile @Nullable Instant finishedAt;
    // set by the first failure of that part: later rounds leave it out, so that a Redis down at start costs no waits
    private final AtomicBoolean webFailed = new AtomicBoolean();
    private final AtomicBoolean redisFailed = new AtomicBoolean();

    /** Where the replica's own web server listens: -1 when there is none (a context without a web server). */
    @FunctionalInterface
    public interface PortSource {
        int port();
    }

    public WarmUp(
            WarmUpProperties settings,
            HttpClient client,
            @Nullable ReactiveRedisConnectionFactory redis,
            MerchantKeySource keys,
            RequestSigner signer,
            PortSource port) {
        this.settings = settings;
        this.client = client;
        this.redis = redis;
        this.keys = keys;
        this.signer = signer;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.rounds() == 0) {
            return;
        }
        long started = System.nanoTime();
        int port = this.port.port();
        Flux.range(0, settings.rounds())
                .flatMap(
                        i -> round(i, port)
                                .doOnSuccess(done -> completed.incrementAndGet())
                                .onErrorResume(e -> {
                                    failed.incrementAndGet();
                                    return Mono.empty();
                                }),
                        CONCURRENCY)
                .then()
                .timeout(settings.maxDuration(), Mono.empty())
                .block();
        finishedAt = Instant.now();
        log.info(
                "warm-up: {} of {} rounds done, {} failed, in {} ms; ready next",
                completed.get(),
                settings.rounds(),
                failed.get(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Rounds that ran without an error. */
    public int completed() {
        return completed.get();
    }

    /**
     * Rounds that failed (Redis or the replica's own endpoint did not answer); a failed round is not retried, and the
     * part that failed is left out of the later rounds.
     */
    public int failed() {
        return failed.get();
    }

    /** When the warm-up ended (done, or cut off by max-duration); null before it has run, or when it is off. */
    public @Nullable Instant finishedAt() {
        return finishedAt;
    }

    /** One round; each part is decided when it starts, so that a part that failed meanwhile is left out. */
    private Mono<Void> round(int i, int port) {
        Mono<Void> web = Mono.defer(() -> port < 0 || webFailed.get()
                ? Mono.empty()
                : client.get()
                        .uri("http://127.0.0.1:" + port + "/actuator/health/liveness")
                        .responseContent()
                        .aggregate()
                        .then()
                        .doOnError(e -> webFailed.set(true)));
        Mono<Void> store = Mono.defer(() -> redis == null || redisFailed.get()
                ? Mono.empty()
                : Mono.usingWhen(
                                Mono.fromSupplier(redis::getReactiveConnection),
                                connection -> connection.ping().then(),
                                connection -> connection.closeLater())
                        .doOnError(e -> redisFailed.set(true)));
        Mono<Void> sign = i % SIGN_EVERY != 0
                ? Mono.empty()
                : Mono.fromRunnable(() -> signer.authorization(keys.current(), "POST", "/warm-up", BODY))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then();
        return web.then(store).then(sign);
    }
}
