package io.payegress.filters.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.pipeline.Departure;
import io.payegress.filters.pipeline.LateDeparture;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.WeChatPayKeyring;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The forward stage's last look at the budget grant, against a real HTTP server that counts what reaches it. */
class LateDepartureTest {

    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong receivedAt = new AtomicLong();
    private final DisposableServer server = serve((request, response) -> {
        receivedAt.compareAndSet(0, System.nanoTime());
        received.incrementAndGet();
        return request.receive()
                .aggregate()
                .then(Mono.defer(
                        () -> response.status(500).sendString(Mono.just("{}")).then()));
    });

    /** A real HTTP server on a free loopback port, answering with {@code handler}. */
    private static DisposableServer serve(
            BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
        return HttpServer.create().host("127.0.0.1").port(0).handle(handler).bindNow();
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private WeChatPayForwardFilter filter() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ResponseVerifier verifier = new ResponseVerifier(
                new WeChatPayKeyring(
                        Map.of("PUB_KEY_ID_TEST", generator.generateKeyPair().getPublic())),
                Clock.systemUTC(),
                Duration.ofMinutes(5));
        ForwardSettings settings =
                new ForwardSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), "payegress-test", null, 65_536);
        return new WeChatPayForwardFilter(
                HttpClient.create(), settings, verifier, JsonMapper.builder().build(), new SimpleMeterRegistry());
    }

    private MockServerWebExchange exchange() {
        return exchange(server.port());
    }

    private static MockServerWebExchange exchange(int port) {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
        Route route = Route.async()
                .id("coupons-use")
                .uri(URI.create("http://127.0.0.1:" + port))
                .predicate(e -> true)
                .build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        PaymentExchange.body(exchange, "{\"coupon_code\":\"c1\"}".getBytes(StandardCharsets.UTF_8));
        PaymentExchange.signedAuthorization(exchange, "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\"");
        return exchange;
    }

    /** A departure asked at the stage's start and at the socket, both answered by {@code may}; no hold. */
    private static Departure departure(BooleanSupplier may) {
        return departure(may, 0);
    }

    private static Departure departure(BooleanSupplier may, long holdNanos) {
        return new Departure() {
            @Override
            public boolean fresh() {
                return may.getAsBoolean();
            }

            @Override
            public long holdNanos() {
                return holdNanos;
            }
        };
    }

    /** A departure always fresh and never held, recording what the forward stage tells it and where it looked. */
    private static final class Recording implements Departure {

        final AtomicInteger left = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();
        final AtomicLong writtenAt = new AtomicLong();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong answeredAt = new AtomicLong();
        final AtomicReference<String> lookedOn = new AtomicReference<>();

        @Override
        public boolean fresh() {
            lookedOn.set(Thread.currentThread().getName());
            return true;
        }

        @Override
        public long holdNanos() {
            return 0;
        }

        @Override
        public void leaving() {
            left.incrementAndGet();
        }

        @Override
        public void written() {
            assertThat(left).as("written only after it was told it leaves").hasValue(1);
            writtenAt.set(System.nanoTime());
            written.incrementAndGet();
        }

        @Override
        public void answered(long ageNanos) {
            assertThat(written).as("answered only after it was written").hasValue(1);
            answered.incrementAndGet();
            answeredAt.set(System.nanoTime());
        }

        @Override
        public void failed() {
            failed.incrementAndGet();
        }
    }

    @Test
    void aRequestThatLeftAndGotNoAnswerTellsItsDepartureSoOnce() throws Exception {
        DisposableServer silent =
                serve((request, response) -> request.receive().aggregate().then(Mono.defer(() -> {
                    response.withConnection(Connection::dispose);
                    return Mono.<Void>never();
                })));
        Recording departure = new Recording();
        try {
            MockServerWebExchange exchange = exchange(silent.port());
            PaymentExchange.departure(exchange, departure);

            StepVerifier.create(filter().filter(exchange, e -> Mono.empty()))
                    .expectError()
                    .verify(Duration.ofSeconds(10));
        } finally {
            silent.disposeNow();
        }

        assertThat(departure.left).hasValue(1);
        assertThat(departure.written).hasValue(1);
        assertThat(departure.answered).as("no answer came").hasValue(0);
        assertThat(departure.failed)
                .as("the budget counts the call at least until now")
                .hasValue(1);
    }

    @Test
    void aRequestCancelledAfterItWasWrittenTellsItsDepartureItEndedWithoutAnAnswer() throws Exception {
        Sinks.One<Boolean> arrived = Sinks.one();
        DisposableServer silent = serve((request, response) -> request.receive()
                .aggregate()
                .doOnNext(body -> arrived.tryEmitValue(true))
                .then(Mono.<Void>never()));
        Recording departure = new Recording();
        try {
            MockServerWebExchange exchange = exchange(silent.port());
            PaymentExchange.departure(exchange, departure);

            StepVerifier.create(filter().filter(exchange, e -> Mono.empty()))
                    .then(() -> arrived.asMono().block(Duration.ofSeconds(10)))
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        } finally {
            silent.disposeNow();
        }

        assertThat(departure.left).as("it reached the upstream").hasValue(1);
        assertThat(departure.failed)
                .as("cancelled (a deadline, the POS gone) after it left: counted at least until then")
                .hasValue(1);
    }

    @Test
    void aGrantThatGoesStaleWhileTheConnectionIsAcquiredSendsNothing() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        MockServerWebExchange exchange = exchange();
        PaymentExchange.departure(exchange, departure(() -> asked.incrementAndGet() == 1));

        StepVerifier.create(filter().filter(exchange, e -> Mono.empty()))
                .expectError(LateDeparture.class)
                .verify(Duration.ofSeconds(10));

        assertThat(asked).hasValue(2);
        assertThat(received).hasValue(0);
        assertThat(PaymentExchange.wasWritten(exchange)).isFalse();
    }

    @Test
    void aGrantStaleAtTheSocketIsRenewedThereAndTheRequestLeavesOnceOnTheRenewedGrant() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Recording renewed = new Recording();
        Departure stale = new Departure() {
            @Override
            public boolean fresh() {
                return asked.incrementAndGet() == 1;
            }

            @Override
            public long holdNanos() {
                return 0;
            }

            @Override
            public void leaving() {
                throw new AssertionError("nothing leaves on a stale grant");
            }

            @Override
            public void answered(long ageNanos) {
                throw new AssertionError("nothing left on a stale grant");
            }

            @Override
            public Mono<Departure> renewed() {
                return Mono.<Departure>just(renewed).publishOn(reactor.core.scheduler.Schedulers.parallel());
            }
        };
        MockServerWebExchange exchange = exchange();
        PaymentExchange.departure(exchange, stale);

        StepVerifier.create(filter().filter(exchange, e -> Mono.empty()))
                .expectError()
                .verify(Duration.ofSeconds(10));

        assertThat(asked).as("fresh at the stage's start, stale at the socket").hasValue(2);
        assertThat(renewed.left).as("left once, on the renewed grant").hasValue(1);
        assertThat(renewed.written).as("written once, before the answer").hasValue(1);
        assertThat(received).hasValue(1);
        assertThat(renewed.answeredAt.get())
                .as("the grant it left on hears of the answer (a 500), after WeChat got the request")
                .isGreaterThanOrEqualTo(receivedAt.get())
                .isPositive();
        assertThat(renewed.lookedOn.get())
                .as("the renewed grant is looked at on the connection's event loop, not where it was granted")
                .doesNotStartWith("parallel");
        assertThat(PaymentExchange.wasWritten(exchange)).isTrue();
    }

    @Test
    void aStaleGrantBeforeTheStageSendsNothingAndAFreshOneIsSent() throws Exception {
        WeChatPayForwardFilter filter = filter();
        MockServerWebExchange stale = exchange();
        PaymentExchange.departure(stale, departure(() -> false));
        StepVerifier.create(filter.filter(stale, e -> Mono.empty()))
                .expectError(LateDeparture.class)
                .verify(Duration.ofSeconds(10));
        assertThat(received).hasValue(0);

        MockServerWebExchange fresh = exchange();
        PaymentExchange.departure(fresh, departure(() -> true));
        StepVerifier.create(filter.filter(fresh, e -> Mono.empty()))
                .expectError()
                .verify(Duration.ofSeconds(10));
        assertThat(received).hasValue(1);
        assertThat(PaymentExchange.wasWritten(fresh)).isTrue();
        assertThat(PaymentExchange.wasWritten(stale)).isFalse();
    }

    @Test
    void aRequestEarlyForItsSlotIsHeldWithNothingWrittenAndAskedAgainOnItsEventLoopRightBeforeTheWrite()
            throws Exception {
        AtomicLong askedAt = new AtomicLong();
        AtomicReference<String> askedOn = new AtomicReference<>();
        MockServerWebExchange exchange = exchange();
        PaymentExchange.departure(
                exchange,
                departure(
                        () -> {
                            askedAt.set(System.nanoTime());
                            askedOn.set(Thread.currentThread().getName());
                            return true;
                        },
                        Duration.ofMillis(300).toNanos()));
        long start = System.nanoTime();

        StepVerifier.create(filter().filter(exchange, e -> Mono.empty()))
                .expectError()
                .verify(Duration.ofSeconds(10));

        assertThat(received).hasValue(1);
        assertThat(askedAt.get() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        assertThat(receivedAt.get()).isGreaterThan(askedAt.get());
        assertThat(askedOn.get()).startsWith("reactor-http-");
        assertThat(PaymentExchange.wasWritten(exchange)).isTrue();
    }
}
