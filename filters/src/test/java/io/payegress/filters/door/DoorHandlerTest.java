package io.payegress.filters.door;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.payegress.filters.auth.ApiKeyAuthenticator;
import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.budget.BudgetSettings;
import io.payegress.filters.budget.LocalBudgetStore;
import io.payegress.filters.error.ErrorAnswer;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The door on a connection: {@link DoorHandler} behind a real HTTP codec, with {@link FrontDoor}'s decisions against a
 * budget saturated in virtual time.
 */
class DoorHandlerTest {

    private static final String PATH = "/v3/marketing/busifavor/coupons/use";
    private static final Tenant NOISY = tenant("noisy", "noisy-key");
    private static final Tenant QUIET = tenant("quiet", "quiet-key");
    private static final DoorRoute ROUTE =
            new DoorRoute(HttpMethod.POST, PATH, "busifavor-coupons-use", "https://wechat", "coupons-use");

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Clock clock = new VirtualClock(time);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BudgetSettings settings = BudgetSettings.defaults("coupons-use", 2);
    private final BudgetLimiters limiters = new BudgetLimiters(
            s -> new LocalBudgetStore(s, s.limit(), 1, Duration.ZERO, () -> time.now(TimeUnit.NANOSECONDS)),
            meters,
            "r1",
            () -> time.now(TimeUnit.NANOSECONDS),
            clock,
            time);
    private final Responder responder = new Responder();
    private final Drain drain = new Drain();
    private final List<HttpObject> passed = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private EmbeddedChannel connection = connection(door(List.of(ROUTE)));

    @AfterEach
    void close() {
        passed.forEach(ReferenceCountUtil::release);
        connection.finishAndReleaseAll();
        limiters.close();
    }

    private static Tenant tenant(String id, String apiKey) {
        return new Tenant(
                new TenantId(id),
                List.of(ApiKeyAuthenticator.sha256(apiKey)),
                Set.of(),
                Map.of(),
                1,
                OptionalInt.empty(),
                false);
    }

    /** A door over these routes, for the tenants, limiters and meters above. */
    private FrontDoor door(List<DoorRoute> routes) {
        return new FrontDoor(
                routes,
                List.of(NOISY, QUIET),
                limiters,
                responder,
                new RequestsMetric(meters, "spring.cloud.gateway.requests", Map.of("application", "payegress")));
    }

    /** A connection as the web server sets it up: the HTTP codec, the door, and the server (here: what it gets). */
    private EmbeddedChannel connection(FrontDoor door) {
        ChannelOutboundHandlerAdapter readsAsked = new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }
        };
        ChannelInboundHandlerAdapter server = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passed.add((HttpObject) msg);
            }
        };
        return new EmbeddedChannel(readsAsked, new HttpServerCodec(), new DoorHandler(door, drain), server);
    }

    private static String post(String path, String... headers) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: payegress\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("Content-Length: 2\r\n\r\n{}").toString();
    }

    private void send(String bytes) {
        connection.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    /** What the connection wrote back, as text. */
    private String answered() {
        StringBuilder out = new StringBuilder();
        for (Object written; (written = connection.readOutbound()) != null; ) {
            ByteBuf buffer = (ByteBuf) written;
            out.append(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
        }
        return out.toString();
    }

    private long requestsPassed() {
        return passed.stream().filter(HttpRequest.class::isInstance).count();
    }

    /** 1.5 s of the noisy tenant asking twice as often as the budget grants: saturated for longer than a second. */
    private void saturate() {
        BudgetLimiter limiter = limiters.limiter(settings);
        for (int i = 0; i < 30; i++) {
            limiter.acquire("coupons-use", NOISY, null).subscribe(permit -> {}, error -> {});
            limiter.acquire("coupons-use", NOISY, null).subscribe(permit -> {}, error -> {});
            time.advanceTimeBy(Duration.ofMillis(50));
        }
    }

    private double shed(String tenant) {
        var counter = meters.find("payegress.budget.decisions")
                .tags("tenant", tenant, "outcome", "shed")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void refusesWhatTheRoutesAdmissionWouldWithItsRefusalInTheMerchantsSchemaAndCountsItAsShed() throws Exception {
        saturate();
        assertThat(limiters.limiter(settings).admissible(NOISY)).isFalse();

        send(post(PATH, "Authorization: Bearer noisy-key", "X-Request-Id: pos-42", "Accept-Language: en"));

        assertThat(passed).as("nothing of the request reached the web server").isEmpty();
        assertThat(answered())
                .startsWith("HTTP/1.1 429 Too Many Requests\r\n")
                .contains("X-Request-Id: pos-42\r\n")
                .contains("retry-after: 1\r\n")
                .contains("content-type: application/test+json\r\n")
                .contains("content-length: 16\r\n")
                .doesNotContainIgnoringCase("connection: close")
                .endsWith("\r\n\r\n{\"refused\":true}");
        assertThat(responder.written).singleElement().satisfies(written -> {
            assertThat(written.route()).isEqualTo("busifavor-coupons-use");
            assertThat(written.requestId()).isEqualTo("pos-42");
            assertThat(written.acceptLanguage()).isEqualTo("en");
            assertThat(written.failure()).isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
                assertThat(rejection.code()).isEqualTo(GatewayCode.RATE_LIMITED);
                assertThat(rejection.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            });
        });
        assertThat(shed("noisy")).isEqualTo(1);
        assertThat(meters.get("spring.cloud.gateway.requests")
                        .tags(
                                "outcome", "CLIENT_ERROR",
                                "status", "TOO_MANY_REQUESTS",
                                "httpStatusCode", "429",
                                "httpMethod", "POST",
                                "routeId", "busifavor-coupons-use",
                                "routeUri", "https://wechat",
                                "application", "payegress")
                        .timer()
                        .count())
                .as("recorded as the gateway's metrics filter records an answer of the route")
                .isEqualTo(1);
        assertThat(drain.awaitFinished(Duration.ZERO))
                .as("the answer written, the drain waits for nothing")
                .isTrue();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void dropsTheRestOfARefusedRequestsBodyAndReadsTheNextRequestOnTheConnection() {
        saturate();
        String refused = post(PATH, "Authorization: Bearer noisy-key");
        int split = refused.length() - 1;

        send(refused.substring(0, split));
        assertThat(answered()).startsWith("HTTP/1.1 429 ");
        send(refused.substring(split) + post(PATH, "Authorization: Bearer quiet-key"));

        assertThat(requestsPassed()).as("the quiet tenant's request after it").isEqualTo(1);
        assertThat(passed)
                .as("its headers and its body, nothing of the refused one's")
                .hasSize(2)
                .last()
                .satisfies(last -> assertThat(last.toString()).contains("DefaultLastHttpContent"));
    }

    @Test
    void asksForTheNextReadAfterWhatItKeptFromAWebServerThatReadsOnlyWhenItAsks() {
        saturate();
        connection.config().setAutoRead(false);
        reads.set(0);
        String refused = post(PATH, "Authorization: Bearer noisy-key");
        int split = refused.length() - 1;

        send(refused.substring(0, split));
        assertThat(reads)
                .as("for the rest of the body, and then the next request")
                .hasValue(1);
        send(refused.substring(split));
        assertThat(reads).hasValue(2);

        send(post(PATH, "Authorization: Bearer quiet-key"));
        assertThat(requestsPassed()).isEqualTo(1);
        assertThat(reads)
                .as("a request with the web server: it asks when it needs")
                .hasValue(2);
    }

    @Test
    void answersARequestThatClosesItsConnectionAndClosesIt() {
        saturate();

        send(post(PATH, "Authorization: Bearer noisy-key", "Connection: close"));

        assertThat(answered()).startsWith("HTTP/1.1 429 ").containsIgnoringCase("connection: close\r\n");
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void leavesARequestBehindAnAnswerStillPendingToTheWebServerSoThatAnswersKeepTheirOrder() {
        saturate();

        send(post(PATH, "Authorization: Bearer quiet-key") + post(PATH, "Authorization: Bearer noisy-key"));

        assertThat(requestsPassed())
                .as("the second waits behind the first's answer")
                .isEqualTo(2);
        assertThat(answered()).isEmpty();

        connection.writeOneOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        connection.writeOneOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        connection.writeOneOutbound(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS));
        connection.flushOutbound();
        answered();
        send(post(PATH, "Authorization: Bearer noisy-key"));

        assertThat(requestsPassed())
                .as("both answered (a 100 Continue ends no request): refused here")
                .isEqualTo(2);
        assertThat(answered()).startsWith("HTTP/1.1 429 ");
    }

    @Test
    void leavesARequestExpectingAContinueOrInAnotherVersionToItsRoute() {
        saturate();

        send(post(PATH, "Authorization: Bearer noisy-key", "Expect: 100-continue"));
        passed.forEach(ReferenceCountUtil::release);
        passed.clear();
        connection.finishAndReleaseAll();
        connection = connection(door(List.of(ROUTE)));
        send(post(PATH, "Authorization: Bearer noisy-key").replace("HTTP/1.1", "HTTP/1.0"));

        assertThat(requestsPassed()).isEqualTo(1);
        assertThat(responder.written).isEmpty();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void passesARequestTheAdmissionWouldAdmitOnToItsRouteCountingNothing() {
        saturate();
        DoorRoute unasked = new DoorRoute(HttpMethod.POST, "/v3/other", "other", "https://wechat", "not-asked-yet");
        connection.finishAndReleaseAll();
        connection = connection(door(List.of(ROUTE, unasked)));

        send(post(PATH, "Authorization: Bearer quiet-key"));
        send(post("/v3/other", "Authorization: Bearer noisy-key"));

        assertThat(requestsPassed())
                .as("a tenant within its share, and a route whose budget was never asked (no limiter yet)")
                .isEqualTo(2);
        assertThat(responder.written).isEmpty();
        assertThat(shed("quiet")).isZero();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void passesEveryRequestWhileTheBudgetShedsNobody() {
        BudgetLimiter limiter = limiters.limiter(settings);
        assertThat(limiter.mayShed()).as("never saturated").isFalse();

        send(post(PATH, "Authorization: Bearer noisy-key"));

        saturate();
        assertThat(limiter.mayShed()).isTrue();
        assertThat(requestsPassed()).isEqualTo(1);
        assertThat(responder.written).isEmpty();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void leavesEveryRequestAnEarlierStageWouldRefuseOrThatIsNotItsRouteToTheRoutes() {
        saturate();

        for (String request : List.of(
                post(PATH), // no API key: the authentication stage's 401
                post(PATH, "Authorization: Bearer not-a-key"),
                post(PATH, "Authorization: Bearer not-a-key"),
                post(PATH, "Authorization: Basic noisy-key"),
                post(PATH + "/", "Authorization: Bearer noisy-key"),
                "GET " + PATH + " HTTP/1.1\r\nHost: payegress\r\nAuthorization: Bearer noisy-key\r\n\r\n")) {
            send(request);
            connection.writeOneOutbound(
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED));
        }

        assertThat(requestsPassed()).isEqualTo(6);
        assertThat(responder.written).isEmpty();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void leavesARequestItCannotDecideOnToItsRoute() {
        saturate();
        responder.failing = true;

        send(post(PATH, "Authorization: Bearer noisy-key"));

        assertThat(requestsPassed()).as("the route's stages answer it").isEqualTo(1);
        assertThat(answered()).isEmpty();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void readsThePathWithoutItsQuery() {
        saturate();

        send(post(PATH + "?trace=1", "Authorization: Bearer noisy-key"));

        assertThat(answered()).startsWith("HTTP/1.1 429 ");
        assertThat(passed).isEmpty();
    }

    /** What the door asked the merchant's responder to render. */
    private record Written(
            @Nullable String route,
            String requestId,
            @Nullable String acceptLanguage,
            PaymentFailure failure) {}

    private static final class Responder implements MerchantErrorResponder {

        final List<Written> written = new ArrayList<>();
        boolean failing;

        @Override
        public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
            return true;
        }

        @Override
        public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
            throw new AssertionError("the door has no exchange");
        }

        @Override
        public ErrorAnswer answer(
                @Nullable String route, String requestId, @Nullable String acceptLanguage, PaymentFailure failure) {
            if (failing) {
                throw new IllegalStateException("no envelope");
            }
            written.add(new Written(route, requestId, acceptLanguage, failure));
            return new ErrorAnswer(
                    429, "application/test+json", 1L, null, "{\"refused\":true}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The virtual scheduler's time as a clock. */
    private static final class VirtualClock extends Clock {

        private final VirtualTimeScheduler time;

        VirtualClock(VirtualTimeScheduler time) {
            this.time = time;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
        }
    }
}
