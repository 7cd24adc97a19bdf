package io.payegress.filters.idempotency;

import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.AttemptHistory;
import io.payegress.filters.pipeline.PaymentExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The rest of the pipeline as the idempotency stage sees it: answers like the forward stage, or fails. */
final class FakeUpstream implements GatewayFilterChain {

    static final byte[] SUCCESS_BODY =
            "{\"coupon_code\":\"sxxe34343434\",\"wechatpay_use_time\":\"2015-05-20\",\"x\":\"券\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger calls = new AtomicInteger();
    private final List<AttemptHistory> histories = new CopyOnWriteArrayList<>();
    private volatile @Nullable PaymentFailure failure;
    private volatile Mono<Void> gate = Mono.empty();
    private volatile boolean writes;

    int calls() {
        return calls.get();
    }

    /** The attempt history each call was handed by the dedupe stage, in call order. */
    List<AttemptHistory> histories() {
        return histories;
    }

    /** Later calls write an attempt to WeChat Pay (as the forward stage marks it) before they answer or fail. */
    void writesToWeChat() {
        writes = true;
    }

    /** Later calls answer successfully again. */
    void succeed() {
        failure = null;
    }

    /** Every later call fails with this. */
    void failWith(PaymentFailure next) {
        failure = next;
    }

    /** Later calls wait until the returned sink is completed (or forever if it never is). */
    Sinks.Empty<Void> hold() {
        Sinks.Empty<Void> sink = Sinks.empty();
        gate = sink.asMono();
        return sink;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange) {
        calls.incrementAndGet();
        histories.add(PaymentExchange.attemptHistory(exchange));
        if (writes) {
            PaymentExchange.markWritten(exchange);
        }
        PaymentFailure failing = failure;
        return gate.then(Mono.defer(() -> failing != null ? Mono.error(failing) : answer(exchange.getResponse())));
    }

    private static Mono<Void> answer(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set("X-Upstream-Request-Id", "08F78BB5AF0D11E");
        response.getHeaders().set("X-Internal-Debug", "not replayed");
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(SUCCESS_BODY)));
    }
}
