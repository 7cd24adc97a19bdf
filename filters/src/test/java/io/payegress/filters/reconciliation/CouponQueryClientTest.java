package io.payegress.filters.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.budget.BudgetMetrics;
import io.payegress.filters.budget.BudgetSettings;
import io.payegress.filters.budget.LocalBudgetStore;
import io.payegress.filters.signing.MerchantCredentials;
import io.payegress.filters.signing.NonceGenerator;
import io.payegress.filters.signing.RequestSigner;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.WeChatPayKeyring;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coupon query client against a stub WeChat Pay over real HTTP: it signs the GET with the merchant key, believes
 * only a verified answer, retries what is transient within its attempts and deadline, and spends its own budget.
 */
class CouponQueryClientTest {

    private static final String PLATFORM_ID = "PUB_KEY_ID_0114232134912410000000000000000001";
    private static final KeyPair PLATFORM = generate();
    private static final KeyPair MERCHANT = generate();
    private static final String USED = "{\"stock_id\":\"100088\",\"coupon_code\":\"sxxe34343434\","
            + "\"coupon_state\":\"USED\",\"use_request_no\":\"1002600620019090123143254435\","
            + "\"use_time\":\"2026-01-02T11:04:05+08:00\"}";

    /** What the stub answers the next queries with, in order; an empty queue answers OK. */
    private enum Reply {
        OK,
        UNSIGNED,
        SYSTEM_ERROR,
        NOT_FOUND,
        SLOW
    }

    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DisposableServer wechat =
            HttpServer.create().host("127.0.0.1").port(0).handle(this::answer).bindNow();
    private final BudgetLimiter budget = budget();

    @AfterEach
    void stop() {
        budget.close();
        wechat.disposeNow();
    }

    private BudgetLimiter budget() {
        BudgetSettings d = BudgetSettings.defaults("coupons-query", 1_000);
        BudgetSettings settings = new BudgetSettings(
                d.name(),
                d.limit(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                d.minLimit(),
                d.recoveryPerSecond(),
                d.decreaseFactor(),
                d.horizon(),
                d.dispatchInterval(),
                d.heartbeat(),
                d.redisFailure(),
                d.lead(),
                Duration.ofMillis(500));
        return new BudgetLimiter(
                settings,
                new LocalBudgetStore(settings, settings.limit(), 1, Duration.ZERO, System::nanoTime),
                "r1",
                new BudgetMetrics(meters),
                System::nanoTime,
                Clock.systemUTC(),
                Schedulers.parallel());
    }

    private CouponQueryClient client() {
        MerchantCredentials credentials = new MerchantCredentials("1900000001", "ABCDEF0123", MERCHANT.getPrivate());
        return new CouponQueryClient(
                reactor.netty.http.client.HttpClient.create(),
                new QuerySigning(
                        () -> credentials,
                        new RequestSigner(Clock.systemUTC(), new NonceGenerator()),
                        Schedulers.boundedElastic()),
                new ResponseVerifier(
                        new WeChatPayKeyring(Map.of(PLATFORM_ID, PLATFORM.getPublic())),
                        Clock.systemUTC(),
                        ResponseVerifier.DEFAULT_MAX_SKEW),
                budget,
                new QuerySettings(
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        3,
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        "payegress-test/1.0",
                        PLATFORM_ID),
                JsonMapper.builder().build(),
                Clock.systemUTC());
    }

    private QueryResult query(Duration within) {
        return client().query(
                        URI.create("http://127.0.0.1:" + wechat.port()),
                        RedemptionTest.seed(),
                        ReconciliationFilterTest.STORE,
                        Instant.now().plus(within))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void signsTheGetWithTheMerchantKeyAndBelievesAVerifiedAnswer() throws GeneralSecurityException {
        QueryResult result = query(Duration.ofSeconds(5));

        assertThat(result)
                .isEqualTo(new QueryResult.Found(
                        new QueriedCoupon(
                                "USED", "1002600620019090123143254435", "2026-01-02T11:04:05+08:00", "100088"),
                        "REQ-1"));
        Map<String, String> request = received.get(0);
        String path = "/v3/marketing/busifavor/users/xsd3434454567676/coupons/sxxe34343434/appids/wx1234567889999";
        assertThat(request).containsEntry("path", path).containsEntry("method", "GET");
        assertThat(request)
                .containsEntry("accept", "application/json")
                .containsEntry("user-agent", "payegress-test/1.0")
                .containsEntry("wechatpay-serial", PLATFORM_ID);
        Matcher auth = Pattern.compile("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"([^\"]+)\","
                        + "timestamp=\"(\\d+)\",serial_no=\"ABCDEF0123\",signature=\"([^\"]+)\"")
                .matcher(request.get("authorization"));
        assertThat(auth.matches()).isTrue();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(MERCHANT.getPublic());
        verifier.update(("GET\n" + path + "\n" + auth.group(2) + "\n" + auth.group(1) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(auth.group(3)))).isTrue();
        assertThat(meters.find("payegress.budget.decisions")
                        .tag("route", "coupons-query")
                        .counters())
                .isNotEmpty();
    }

    @Test
    void retriesASystemErrorAndAnUnverifiedAnswerThenBelievesTheVerifiedOne() {
        replies.addAll(List.of(Reply.SYSTEM_ERROR, Reply.UNSIGNED));

        assertThat(query(Duration.ofSeconds(5))).isInstanceOf(QueryResult.Found.class);
        assertThat(received).hasSize(3);
    }

    @Test
    void givesUpAsUnavailableAfterItsAttempts() {
        replies.addAll(List.of(Reply.SYSTEM_ERROR, Reply.SYSTEM_ERROR, Reply.SYSTEM_ERROR, Reply.OK));

        assertThat(query(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        QueryResult.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(QueryResult.Reason.UNAVAILABLE));
        assertThat(received).hasSize(3);
    }

    @Test
    void aRefusalIsInconclusiveAndNotRetried() {
        replies.add(Reply.NOT_FOUND);

        assertThat(query(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        QueryResult.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(QueryResult.Reason.INCONCLUSIVE));
        assertThat(received).hasSize(1);
    }

    @Test
    void noTimeLeftMeansNoCall() {
        assertThat(query(Duration.ofMillis(-1))).isInstanceOf(QueryResult.Failed.class);
        assertThat(received).isEmpty();
    }

    @Test
    void anAnswerLaterThanTheDeadlineIsUnavailable() {
        replies.addAll(List.of(Reply.SLOW, Reply.SLOW, Reply.SLOW));

        assertThat(query(Duration.ofMillis(300)))
                .isInstanceOfSatisfying(
                        QueryResult.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(QueryResult.Reason.UNAVAILABLE));
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        received.add(Map.of(
                "method", request.method().name(),
                "path", request.uri(),
                "authorization", String.valueOf(request.requestHeaders().get("Authorization")),
                "accept", String.valueOf(request.requestHeaders().get("Accept")),
                "user-agent", String.valueOf(request.requestHeaders().get("User-Agent")),
                "wechatpay-serial", String.valueOf(request.requestHeaders().get("Wechatpay-Serial"))));
        Reply reply = replies.poll();
        switch (reply == null ? Reply.OK : reply) {
            case SYSTEM_ERROR:
                return json(response.status(500), "{\"code\":\"SYSTEM_ERROR\",\"message\":\"busy\"}", false);
            case NOT_FOUND:
                return json(response.status(404), "{\"code\":\"USER_NOT_EXISTS\",\"message\":\"no\"}", false);
            case UNSIGNED:
                return json(response.status(200), USED, false);
            case SLOW:
                return Mono.delay(Duration.ofSeconds(2)).then(json(response.status(200), USED, true));
            default:
                return json(response.status(200), USED, true);
        }
    }

    private static Mono<Void> json(HttpServerResponse response, String body, boolean signed) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.header("Content-Type", "application/json").header("Request-ID", "REQ-1");
        if (signed) {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String nonce = UUID.randomUUID().toString();
            response.header("Wechatpay-Timestamp", timestamp)
                    .header("Wechatpay-Nonce", nonce)
                    .header("Wechatpay-Serial", PLATFORM_ID)
                    .header(
                            "Wechatpay-Signature",
                            sign(PLATFORM.getPrivate(), timestamp + "\n" + nonce + "\n" + body + "\n"));
        }
        return response.sendByteArray(Mono.just(bytes)).then();
    }

    private static String sign(PrivateKey key, String message) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
