package io.payegress.gateway.web;

import io.payegress.filters.context.RequestContextFilter;
import io.payegress.filters.context.RequestIds;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.pipeline.PaymentExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Errors of requests no route handled (unknown path, wrong method) in the merchant's schema too, instead of
 * Spring's default error JSON; runs before Boot's own handler.
 */
@Component
@Order(-2)
public class ProblemWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    private final MerchantErrorResponder responder;

    public ProblemWebExceptionHandler(MerchantErrorResponder responder) {
        this.responder = responder;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        String requestId = RequestIds.takeOrGenerate(
                exchange.getRequest().getHeaders().getFirst(RequestContextFilter.REQUEST_ID_HEADER));
        PaymentExchange.requestId(exchange, requestId);
        exchange.getResponse().getHeaders().set(RequestContextFilter.REQUEST_ID_HEADER, requestId);
        return responder.write(exchange, failure(error, requestId));
    }

    private static PaymentFailure failure(Throwable error, String requestId) {
        if (error instanceof PaymentFailure known) {
            return known;
        }
        if (error instanceof ResponseStatusException status) {
            if (status.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                return new GatewayRejection(GatewayCode.NOT_FOUND, "No API is served at this path.");
            }
            if (status.getStatusCode().value() == HttpStatus.METHOD_NOT_ALLOWED.value()) {
                return new GatewayRejection(GatewayCode.METHOD_NOT_ALLOWED, "This API does not take this method.");
            }
        }
        log.error("request_id={} unexpected failure outside the payment pipeline", requestId, error);
        return new GatewayRejection(GatewayCode.INTERNAL_ERROR, "The gateway failed to handle the request.");
    }
}
