package io.payegress.filters.error;

import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The outermost stage: renders any {@link PaymentFailure} through the merchant's responder, and turns anything
 * unexpected into INTERNAL_ERROR without a trace, a class name or a host name reaching the POS.
 */
public final class ErrorNormalizationFilter implements GatewayFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ErrorNormalizationFilter.class);

    private final MerchantErrorResponder responder;

    public ErrorNormalizationFilter(MerchantErrorResponder responder) {
        this.responder = responder;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).onErrorResume(error -> respond(exchange, error));
    }

    private Mono<Void> respond(ServerWebExchange exchange, Throwable error) {
        PaymentFailure failure = error instanceof PaymentFailure known ? known : internal(exchange, error);
        if (exchange.getResponse().isCommitted()) {
            log.warn(
                    "request_id={} failure after the response was committed: {}",
                    PaymentExchange.requestId(exchange),
                    failure.getMessage());
            return Mono.empty();
        }
        ErrorOutcome.record(exchange, failure);
        return responder.write(exchange, failure);
    }

    private static PaymentFailure internal(ServerWebExchange exchange, Throwable error) {
        log.error("request_id={} unexpected failure", PaymentExchange.requestId(exchange), error);
        return new GatewayRejection(GatewayCode.INTERNAL_ERROR, "The gateway failed to handle the request.");
    }

    @Override
    public int getOrder() {
        return PipelineStage.ERROR_NORMALIZATION.order();
    }

    @Override
    public String toString() {
        return "ErrorNormalization";
    }
}
