package io.payegress.filters.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Passes the response through while keeping a copy of what the merchant sees: status, the replayable headers and
 * the body bytes, so the final outcome can be stored for replay.
 */
final class ResponseCapture extends ServerHttpResponseDecorator {

    /** Headers worth replaying; X-Request-Id is not among them: every request echoes its own. */
    static final List<String> REPLAYED_HEADERS =
            List.of(HttpHeaders.CONTENT_TYPE, "X-Upstream-Request-Id", "Request-ID", HttpHeaders.RETRY_AFTER);

    private static final byte[] EMPTY = new byte[0];

    private volatile @Nullable StoredResponse captured;

    ResponseCapture(ServerHttpResponse delegate) {
        super(delegate);
    }

    /** What was written, once the body was written or the response completed without one. */
    Optional<StoredResponse> captured() {
        return Optional.ofNullable(captured);
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return DataBufferUtils.join(Flux.from(body))
                .map(ResponseCapture::bytes)
                .defaultIfEmpty(EMPTY)
                .flatMap(bytes -> {
                    captured = snapshot(bytes);
                    return super.writeWith(
                            Mono.fromSupplier(() -> bufferFactory().wrap(bytes)));
                });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return writeWith(Flux.from(body).concatMap(Flux::from));
    }

    @Override
    public Mono<Void> setComplete() {
        if (captured == null) {
            captured = snapshot(EMPTY);
        }
        return super.setComplete();
    }

    private StoredResponse snapshot(byte[] body) {
        HttpStatusCode status = getDelegate().getStatusCode();
        HttpHeaders headers = getDelegate().getHeaders();
        List<StoredResponse.Header> kept = new ArrayList<>();
        for (String name : REPLAYED_HEADERS) {
            List<String> values = headers.getOrEmpty(name);
            values.forEach(value -> kept.add(new StoredResponse.Header(name, value)));
        }
        return new StoredResponse(status == null ? 200 : status.value(), kept, body);
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
