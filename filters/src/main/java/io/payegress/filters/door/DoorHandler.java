package io.payegress.filters.door;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.payegress.filters.context.RequestContextFilter;
import io.payegress.filters.error.ErrorAnswer;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.pipeline.SocketReceipt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door on one HTTP/1.1 connection, between the connection's HTTP codec and the web server: it reads each request's
 * method, path and headers as the codec gives them, and answers one its {@link FrontDoor} refuses itself, on the
 * connection's event loop, before the web server makes anything for it (its request and response objects, the
 * framework's exchange, the handler's subscription chain); the rest of that request's body is read and dropped. Every
 * other request goes on to the web server unchanged. A refusal then costs the request's parsing, the door's decision
 * and one write, where behind the web server it also cost the framework's objects and writes for it, a third of the
 * server's event loops at twice the limit (docs/benchmarks.md, session 38).
 *
 * <p>A request is refused here only while the connection has no answer pending (no request passed on whose answer is
 * not yet written in full), so that answers leave in the order their requests came (HTTP/1.1 pipelining); one the
 * door would refuse behind a pending answer, one in another HTTP version, or one that expects a {@code 100 Continue}
 * goes on to its route, whose admission stage refuses it the same way. One instance per connection, on its event
 * loop.
 */
public final class DoorHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(DoorHandler.class);

    /**
     * A door that fails to decide fails for every request, on the event loops: it warns once a minute with the count
     * since, not once a request (thousands a second at five times the limit).
     */
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicLong unwarned = new AtomicLong();

    /** The name the handler has in the connection's pipeline. */
    public static final String NAME = "payegress.door";

    private final FrontDoor door;
    private final Drain drain;

    /** Requests passed on to the web server whose answer has not been written in full. */
    private int pending;

    /** Whether the answer being written is informational ({@code 100 Continue}), which ends no request. */
    private boolean informational;

    /** Whether the rest of a refused request's body is being read and dropped. */
    private boolean dropping;

    /** Whether this read gave the door something it kept from the web server. */
    private boolean kept;

    /** @param drain the replica's drain, which waits for the door's answers being written as for any request's */
    public DoorHandler(FrontDoor door, Drain drain) {
        this.door = door;
        this.drain = drain;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (dropping && msg instanceof HttpContent) {
            dropping = !(msg instanceof LastHttpContent);
            kept = true;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            FrontDoor.@Nullable Refusal refusal = pending == 0 ? refusal(ctx, request) : null;
            if (refusal != null) {
                dropping = !(msg instanceof LastHttpContent);
                kept = true;
                ReferenceCountUtil.release(msg);
                answer(ctx, HttpUtil.isKeepAlive(request), refusal);
                return;
            }
            pending++;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The web server reads a connection only when it asks (no auto-read): it asks for the next request once it has
     * answered one, and for more of a body as it reads it. What the door kept from it was never asked for by it, so
     * the door asks for the next read itself when no request of the connection is with the web server.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        boolean readOn = kept && pending == 0 && !ctx.channel().config().isAutoRead();
        kept = false;
        ctx.fireChannelReadComplete();
        if (readOn) {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !informational && pending > 0) {
            pending--;
        }
        ctx.write(msg, promise);
    }

    private FrontDoor.@Nullable Refusal refusal(ChannelHandlerContext ctx, HttpRequest request) {
        String uri = request.uri();
        HttpHeaders headers = request.headers();
        if (!request.decoderResult().isSuccess()
                || request.protocolVersion() != HttpVersion.HTTP_1_1
                || uri.isEmpty()
                || uri.charAt(0) != '/'
                || headers.contains(HttpHeaderNames.EXPECT)) {
            return null;
        }
        try {
            return door.refuse(
                    request.method().name(),
                    path(uri),
                    headers.get(HttpHeaderNames.AUTHORIZATION),
                    headers.get(RequestContextFilter.REQUEST_ID_HEADER),
                    headers.get(HttpHeaderNames.ACCEPT_LANGUAGE),
                    () -> SocketReceipt.agoNanos(ctx.channel()));
        } catch (RuntimeException failed) {
            // the route's stages decide instead, as they would without the door; a closed connection would leave the
            // till not knowing
            warn(failed);
            return null;
        }
    }

    private static void warn(RuntimeException failed) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        boolean warnedLately = last != Long.MIN_VALUE && now - last < WARN_EVERY_NANOS;
        if (warnedLately || !lastWarned.compareAndSet(last, now)) {
            unwarned.incrementAndGet();
            return;
        }
        log.warn(
                "the door could not decide on a request ({} more since the last warning); it goes on to its route",
                unwarned.getAndSet(0),
                failed);
    }

    private void answer(ChannelHandlerContext ctx, boolean keepAlive, FrontDoor.Refusal refusal) {
        ErrorAnswer answer = refusal.answer();
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders headers = response.headers();
        headers.set(RequestContextFilter.REQUEST_ID_HEADER, refusal.requestId());
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        if (answer.retryAfterSeconds() != null) {
            headers.set(HttpHeaderNames.RETRY_AFTER, answer.retryAfterSeconds());
        }
        if (answer.upstreamRequestId() != null) {
            headers.set(ErrorAnswer.UPSTREAM_REQUEST_ID, answer.upstreamRequestId());
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        Runnable ended = drain.track();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            try {
                refusal.answered();
            } finally {
                ended.run();
            }
            if (!keepAlive) {
                written.channel().close();
            }
        });
    }

    /** The request target's path: the origin form less its query. */
    private static String path(String uri) {
        int query = uri.indexOf('?');
        int fragment = uri.indexOf('#');
        int end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
        return end < 0 ? uri : uri.substring(0, end);
    }
}
