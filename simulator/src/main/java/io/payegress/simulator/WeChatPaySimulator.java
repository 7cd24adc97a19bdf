package io.payegress.simulator;

import io.payegress.simulator.admin.AdminApi;
import io.payegress.simulator.coupon.CouponBook;
import io.payegress.simulator.coupon.CouponService;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.fault.FaultPlan;
import io.payegress.simulator.fault.FaultSpec;
import io.payegress.simulator.limit.SlidingWindowLimiter;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.signing.MerchantKeys;
import io.payegress.simulator.signing.RequestVerifier;
import io.payegress.simulator.signing.ResponseSigner;
import io.payegress.simulator.stats.PauseRecorder;
import io.payegress.simulator.stats.RecordedRequest;
import io.payegress.simulator.stats.RequestLog;
import io.payegress.simulator.stats.SimulatorStats;
import io.payegress.simulator.stats.StatsRecorder;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WeChat Pay API v3 simulator on Reactor Netty: verifies request signatures, enforces the 500/s sliding-window
 * limit, keeps merchant-coupon state, signs every answer but 401 with a platform key, injects faults on demand and
 * exposes an admin API under {@code /__sim/}. Start it with {@link #start}; close it when done.
 */
public final class WeChatPaySimulator implements AutoCloseable {

    /** The path of coupons/use, the call that redeems a coupon. */
    public static final String USE_PATH = "/v3/marketing/busifavor/coupons/use";

    /**
     * The coupon query, as a path template: faults armed {@link FaultSpec#onPath on} this path hit only queries
     * (whatever the openid, code and appid in the actual path).
     */
    public static final String QUERY_PATH =
            "/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}";

    private final SimulatorConfig config;
    private final MerchantKeys keys = new MerchantKeys();
    private final CouponBook book;
    private final FaultPlan faults;
    private final SlidingWindowLimiter limiter;
    private final StatsRecorder stats;
    private final CouponService coupons;
    private final RequestLog requests;
    private final ApiHandler api;
    private final AdminApi admin;
    private final ReplyWriter writer;
    private final Scheduler signing;
    private final DisposableServer server;
    private final PauseRecorder pauses;

    private WeChatPaySimulator(SimulatorConfig config) {
        this.config = config;
        JsonMapper mapper = JsonMapper.builder().build();
        keys.addAll(config.merchants());
        faults = new FaultPlan(config.faultSeed());
        book = new CouponBook(config.seed());
        limiter = new SlidingWindowLimiter(config.limitPerSecond(), config.ticker());
        pauses = PauseRecorder.start();
        stats = new StatsRecorder(limiter, pauses, config.ticker());
        requests = new RequestLog(config.recordedRequests());
        coupons = new CouponService(book, config.clock(), mapper);
        coupons.resend(config.resend());
        api = new ApiHandler(
                new RequestVerifier(keys, config.clock()),
                config.unsignedMerchant(),
                limiter,
                coupons,
                faults,
                stats,
                mapper);
        admin = new AdminApi(
                book,
                faults,
                keys,
                limiter,
                coupons,
                stats::snapshot,
                stats::acceptedBetween,
                requests,
                this::reset,
                adminMapper());
        signing = Schedulers.newParallel(
                "sim-signer", Math.max(2, Runtime.getRuntime().availableProcessors()));
        writer = new ReplyWriter(
                new ResponseSigner(config.platformPrivateKey(), config.platformPublicKeyId()), config.clock(), signing);
        server = HttpServer.create()
                .host(config.host())
                .port(config.port())
                .handle(new HttpDispatcher(api, admin, writer, stats, requests, config.clock())::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    /** Binds the configured address and returns once the simulator is listening. */
    public static WeChatPaySimulator start(SimulatorConfig config) {
        return new WeChatPaySimulator(config);
    }

    /** {@code http://<host>:<port>}, the base URL a gateway route points at. */
    public String baseUrl() {
        String host = "0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + port();
    }

    public int port() {
        return server.port();
    }

    public SimulatorStats stats() {
        return stats.snapshot();
    }

    /**
     * Back to the start: coupon state to the configured seed, faults cleared, stats and recorded requests zeroed, the
     * limit and the resend behaviour back to the configured ones. Merchant keys added at runtime stay.
     */
    public void reset() {
        book.reset();
        faults.clear();
        stats.reset();
        requests.clear();
        limiter.setLimit(config.limitPerSecond());
        coupons.resend(config.resend());
    }

    /** What a resent use_request_no of a redeemed coupon gets from now on (until {@link #reset()}). */
    public void setResend(ResendBehaviour behaviour) {
        coupons.resend(behaviour);
    }

    public ResendBehaviour resend() {
        return coupons.resend();
    }

    public FaultPlan faults() {
        return faults;
    }

    public CouponBook state() {
        return book;
    }

    /** The last recorded WeChat API requests (admin calls are not recorded), oldest first. */
    public List<RecordedRequest> recordedRequests() {
        return requests.all();
    }

    public void setLimitPerSecond(int limit) {
        limiter.setLimit(limit);
    }

    /** Trusts another merchant key; a merchant may have several serials at once (rotation). */
    public void addMerchantKey(String mchid, String serialNo, PublicKey key) {
        keys.add(mchid, serialNo, key);
    }

    /** The public key matching the platform signing key: what a gateway must trust for response verification. */
    public PublicKey platformPublicKey() {
        return KeyMaterial.publicKeyOf(config.platformPrivateKey());
    }

    /** The id the platform key signs under ({@code Wechatpay-Serial}). */
    public String platformPublicKeyId() {
        return config.platformPublicKeyId();
    }

    /** Completes when the server has stopped. */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        signing.dispose();
        pauses.close();
    }

    private static JsonMapper adminMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
    }
}
