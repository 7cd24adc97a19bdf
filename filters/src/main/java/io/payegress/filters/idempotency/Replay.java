package io.payegress.filters.idempotency;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Writes a stored response again, byte for byte, marked {@code Idempotent-Replayed: true}. */
final class Replay {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private Replay() {}

    static Mono<Void> write(ServerWebExchange exchange, StoredResponse stored) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
        HttpHeaders headers = response.getHeaders();
        for (String name : ResponseCapture.REPLAYED_HEADERS) {
            headers.remove(name);
        }
        stored.headers().forEach(header -> headers.add(header.name(), header.value()));
        headers.set(REPLAYED_HEADER, "true");
        byte[] body = stored.body();
        headers.setContentLength(body.length);
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }
}
