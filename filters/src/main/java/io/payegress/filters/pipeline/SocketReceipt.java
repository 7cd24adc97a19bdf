package io.payegress.filters.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;

/**
 * When the data being read reached this host, as the kernel says: on a starved replica the event loop reads what came
 * tens or hundreds of milliseconds after it came, and a time taken at the read counts that stall too.
 */
public final class SocketReceipt {

    /** The kernel's TCP clock as this host's reported ages show it (one per JVM: the host has one kernel). */
    private static final KernelTick TICK = new KernelTick();

    private SocketReceipt() {}

    /**
     * How long ago, at least, the data being read reached this host: the age of the last data the connection received
     * ({@code TCP_INFO}'s {@code tcpi_last_data_recv}, in ticks of the kernel's clock; data after it only makes it
     * younger) less the most the tick can make it exceed the real age ({@link KernelTick}: 10 ms until the host has
     * shown a finer clock, 5 ms at HZ=250), so never older than the data; 0 where the transport cannot say (not
     * Linux's epoll).
     */
    public static long agoNanos(@Nullable Channel channel) {
        if (!(channel instanceof EpollSocketChannel epoll) || !epoll.isActive()) {
            return 0;
        }
        try {
            return TICK.atLeastNanos(epoll.tcpInfo().lastDataRecv());
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /**
     * How long ago, at least, the request being handled reached this host (its last bytes, on an HTTP/1.1 connection
     * that carries one request at a time); 0 where that cannot be told: a request with no native request to ask
     * ({@link ServerHttpRequestDecorator#getNativeRequest} refuses one it cannot unwrap, and a request that was never
     * read from a server has none), or one not read by Reactor Netty.
     */
    public static long requestAgoNanos(ServerWebExchange exchange) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        } catch (IllegalArgumentException | IllegalStateException noNativeRequest) {
            return 0;
        }
        return nativeRequest instanceof Connection connection ? agoNanos(connection.channel()) : 0;
    }
}
