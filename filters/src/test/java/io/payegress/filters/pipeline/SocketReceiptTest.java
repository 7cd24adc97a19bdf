package io.payegress.filters.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * When a request reached this host, read from the kernel ({@code TCP_INFO}) through a real server exchange: a request
 * handled long after its bytes came (a replica that stood still) is dated from when they came, never before the
 * client sent them.
 */
class SocketReceiptTest {

    /** How old the request lies before it is looked at. */
    private static final long OLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Test
    void aRequestHandledLateIsDatedFromItsReceiptNeverBeforeItWasSent() {
        Epoll.ensureAvailability();
        AtomicReference<ServerWebExchange> handled = new AtomicReference<>();
        Sinks.Empty<Void> release = Sinks.empty();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.webHandler(exchange -> {
                            handled.set(exchange);
                            return release.asMono();
                        })
                        .build()))
                .bindNow();
        try {
            long sentAt = System.nanoTime();
            HttpClient.create()
                    .post()
                    .uri("http://127.0.0.1:" + server.port() + "/v3/marketing/busifavor/coupons/use")
                    .send(ByteBufFlux.fromString(Mono.just("{}")))
                    .response()
                    .subscribe();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() != null);
            ServerWebExchange exchange = handled.get();
            // the request lies here while nothing more comes, as in a replica that stood still: until the kernel says
            // so
            await().atMost(Duration.ofSeconds(10)).until(() -> SocketReceipt.requestAgoNanos(exchange) >= OLD_NANOS);

            long ago = SocketReceipt.requestAgoNanos(exchange);
            long since = PaymentExchange.sinceArrivalNanos(exchange);
            long now = System.nanoTime();

            assertThat(ago).as("the request came after it was sent").isLessThanOrEqualTo(now - sentAt);
            assertThat(since)
                    .as("asked first after the kernel's age, from its receipt")
                    .isBetween(0L, now - sentAt);
        } finally {
            release.tryEmitEmpty();
            server.disposeNow();
        }
    }

    @Test
    void anExchangeNotReadFromASocketGivesNoAgeAndCountsItsArrivalFromTheFirstAsk() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/"));

        assertThat(SocketReceipt.requestAgoNanos(exchange)).isZero();
        assertThat(PaymentExchange.sinceArrivalNanos(exchange)).isZero();
        assertThat(SocketReceipt.agoNanos(null)).isZero();
    }
}
