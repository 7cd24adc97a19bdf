package io.payegress.filters.error;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default schema (RFC 9457 problem+json, built-in clerk sentences) over one error table, without metrics: for
 * stage tests that need a responder. The gateway wires {@link MerchantSchemaResponder} from configuration.
 */
public final class ProblemJsonResponder implements MerchantErrorResponder {

    private final MerchantSchemaResponder delegate;

    public ProblemJsonResponder(MerchantErrorMapper mapper, JsonMapper json) {
        this.delegate = new MerchantSchemaResponder(
                RouteErrorMappers.single(mapper),
                ErrorEnvelope.problemJson(),
                ClerkMessages.defaults(),
                json,
                new SimpleMeterRegistry());
    }

    @Override
    public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
        return delegate.retryable(exchange, failure);
    }

    @Override
    public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
        return delegate.write(exchange, failure);
    }
}
