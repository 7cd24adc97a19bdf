package io.payegress.filters.body;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestBodyFilterTest {

    private static final String BODY = "{\"coupon_code\":\"券-1\",\"use_request_no\":\"1\"}";

    private final RequestBodyFilter filter = new RequestBodyFilter(64);
    private final AtomicBoolean reachedNextStage = new AtomicBoolean();
    private final GatewayFilterChain chain = exchange -> {
        reachedNextStage.set(true);
        return Mono.empty();
    };

    private static Flux<DataBuffer> chunks(byte[] bytes, int chunkSize) {
        DefaultDataBufferFactory factory = DefaultDataBufferFactory.sharedInstance;
        return Flux.range(0, (bytes.length + chunkSize - 1) / chunkSize)
                .map(i -> factory.wrap(
                        Arrays.copyOfRange(bytes, i * chunkSize, Math.min(bytes.length, (i + 1) * chunkSize))));
    }

    @Test
    void keepsTheExactBodyBytesForLaterStages() {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x")
                .header("Content-Type", "application/json; charset=utf-8")
                .body(chunks(bytes, 7)));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(PaymentExchange.body(exchange)).isEqualTo(bytes);
        assertThat(reachedNextStage).isTrue();
    }

    @Test
    void refusesAChunkedBodyOverTheCapWithoutAContentLength() {
        byte[] bytes = new byte[65];
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x")
                .header("Content-Type", "application/json")
                .body(chunks(bytes, 10)));

        StepVerifier.create(filter.filter(exchange, chain))
                .expectErrorSatisfies(
                        e -> assertThat(((GatewayRejection) e).code()).isEqualTo(GatewayCode.PAYLOAD_TOO_LARGE))
                .verify();
        assertThat(reachedNextStage).isFalse();
    }

    @Test
    void refusesADeclaredContentLengthOverTheCapBeforeReading() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x")
                .header("Content-Type", "application/json")
                .contentLength(1_000_000)
                .body(Flux.never()));

        StepVerifier.create(filter.filter(exchange, chain))
                .expectErrorSatisfies(
                        e -> assertThat(((GatewayRejection) e).code()).isEqualTo(GatewayCode.PAYLOAD_TOO_LARGE))
                .verify();
    }

    @Test
    void acceptsABodyOfExactlyTheCap() {
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 'a');
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x")
                .header("Content-Type", "application/json")
                .body(chunks(bytes, 10)));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();
        assertThat(PaymentExchange.body(exchange)).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain",
                "application/xml",
                "application/json; charset=gbk",
                "application/x-www-form-urlencoded"
            })
    void refusesBodiesThatAreNotUtf8Json(String contentType) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x")
                .header("Content-Type", contentType)
                .body(BODY));

        StepVerifier.create(filter.filter(exchange, chain))
                .expectErrorSatisfies(
                        e -> assertThat(((GatewayRejection) e).code()).isEqualTo(GatewayCode.UNSUPPORTED_MEDIA_TYPE))
                .verify();
        assertThat(reachedNextStage).isFalse();
    }

    @Test
    void refusesAMissingContentType() {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/x").body(BODY));

        StepVerifier.create(filter.filter(exchange, chain))
                .expectErrorSatisfies(
                        e -> assertThat(((GatewayRejection) e).code()).isEqualTo(GatewayCode.UNSUPPORTED_MEDIA_TYPE))
                .verify();
    }
}
