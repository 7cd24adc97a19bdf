package io.payegress.filters.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.payegress.filters.pipeline.SocketReceipt;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * When an answer reached this host, read from the kernel ({@code TCP_INFO}) over a real loopback connection: never
 * earlier than it can have come (a grant counted from it must not end too soon), and as early as the kernel's clock
 * allows when the answer is read long after it came (a starved event loop).
 */
class AnswerReceiptTest {

    /** How old the answer lies before it is looked at. */
    private static final long OLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The most a kernel's age can be off by either way: a tick of the coarsest clock Linux keeps (HZ=100). */
    private static final long COARSEST_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void anAnswerReadLateIsDatedFromItsReceiptNeverBeforeItsRequestLeft() throws InterruptedException {
        Epoll.ensureAvailability();
        DisposableServer server = TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((in, out) -> in.receive()
                        .asString()
                        .flatMap(ask -> out.sendString(Mono.just("answer")).then()))
                .bindNow();
        CountDownLatch read = new CountDownLatch(1);
        AtomicLong readAt = new AtomicLong();
        Connection client = TcpClient.create()
                .host("127.0.0.1")
                .port(server.port())
                .handle((in, out) -> in.receive()
                        .asString()
                        .doOnNext(answer -> {
                            readAt.set(System.nanoTime());
                            read.countDown();
                        })
                        .then())
                .connectNow();
        try {
            Channel channel = client.channel();
            assertThat(channel).as("Reactor Netty on Linux's epoll").isInstanceOf(EpollSocketChannel.class);
            long sentAt = System.nanoTime();
            client.outbound().sendString(Mono.just("ask")).then().block(Duration.ofSeconds(10));
            assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
            // the answer lies here while nothing more comes, as on a starved event loop: until the kernel says so
            await().atMost(Duration.ofSeconds(10)).until(() -> SocketReceipt.agoNanos(channel) >= OLD_NANOS);

            long ago = SocketReceipt.agoNanos(channel);
            long now = System.nanoTime();

            assertThat(ago)
                    .as("the answer came after the request left")
                    .isLessThanOrEqualTo(now - sentAt)
                    .as("and no later than it was read, give or take the kernel's tick and the margin for it")
                    .isGreaterThanOrEqualTo(now - readAt.get() - 2 * COARSEST_TICK_NANOS - 5_000_000);
        } finally {
            client.disposeNow();
            server.disposeNow();
        }
    }

    @Test
    void aTransportThatCannotSayGivesNoAge() {
        assertThat(SocketReceipt.agoNanos(new EmbeddedChannel())).isZero();
        assertThat(SocketReceipt.agoNanos(null)).isZero();
    }
}
