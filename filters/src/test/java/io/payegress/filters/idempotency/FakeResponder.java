package io.payegress.filters.idempotency;

import io.payegress.filters.error.ErrorAnswer;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** A merchant error schema for tests: transient upstream failures are retryable, everything else final. */
final class FakeResponder implements MerchantErrorResponder {

    @Override
    public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
        return failure instanceof UpstreamFailure upstream ? upstream.isTransient() : isRetryable(failure);
    }

    private static boolean isRetryable(PaymentFailure failure) {
        return failure instanceof GatewayRejection rejection && rejection.code().retryable();
    }

    @Override
    public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
        ServerHttpResponse response = exchange.getResponse();
        ErrorAnswer answer = answer(null, "-", null, failure);
        response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
        response.getHeaders().setContentType(MediaType.parseMediaType(answer.contentType()));
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(answer.body())));
    }

    @Override
    public ErrorAnswer answer(
            @Nullable String route, String requestId, @Nullable String acceptLanguage, PaymentFailure failure) {
        int status = 500;
        String code = "INTERNAL";
        if (failure instanceof UpstreamFailure upstream
                && upstream.outcome() instanceof UpstreamOutcome.Answered answered) {
            status = answered.status() == 400 ? 409 : answered.status();
            code = String.valueOf(answered.code());
        }
        byte[] body = ("{\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ErrorAnswer(status, "application/problem+json", null, null, body);
    }
}
