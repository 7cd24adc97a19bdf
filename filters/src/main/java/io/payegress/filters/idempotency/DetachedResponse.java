package io.payegress.filters.idempotency;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A response bound to no connection: what is written is dropped. Under a {@link ResponseCapture} it lets the merchant's
 * responder render a failure found after the real response went out, so it can be stored for replay.
 */
final class DetachedResponse extends AbstractServerHttpResponse {

    DetachedResponse(DataBufferFactory buffers) {
        super(buffers);
    }

    @Override
    public <T> T getNativeResponse() {
        throw new IllegalStateException("a detached response has no native response");
    }

    @Override
    protected void applyStatusCode() {}

    @Override
    protected void applyHeaders() {}

    @Override
    protected void applyCookies() {}

    @Override
    protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
        return Flux.from(body).doOnNext(DataBufferUtils::release).then();
    }

    @Override
    protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return Flux.from(body)
                .concatMap(Flux::from)
                .doOnNext(DataBufferUtils::release)
                .then();
    }
}
