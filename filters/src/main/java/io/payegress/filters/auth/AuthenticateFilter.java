package io.payegress.filters.auth;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Authenticates the tenant from its bearer API key; refuses with 401 UNAUTHENTICATED before anything else runs. */
public final class AuthenticateFilter implements GatewayFilter, Ordered {

    private final ApiKeyAuthenticator authenticator;

    public AuthenticateFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        PaymentExchange.reached(exchange, PipelineStage.AUTHENTICATION);
        String apiKey = ApiKeyAuthenticator.bearerToken(
                exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (apiKey == null) {
            return unauthenticated(exchange, "Send the tenant's API key as 'Authorization: Bearer <api-key>'.");
        }
        return authenticator
                .authenticate(apiKey)
                .map(tenant -> {
                    PaymentExchange.tenant(exchange, tenant);
                    return chain.filter(exchange);
                })
                .orElseGet(() -> unauthenticated(exchange, "The API key is not known."));
    }

    private static Mono<Void> unauthenticated(ServerWebExchange exchange, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return Mono.error(new GatewayRejection(GatewayCode.UNAUTHENTICATED, detail));
    }

    @Override
    public int getOrder() {
        return PipelineStage.AUTHENTICATION.order();
    }

    @Override
    public String toString() {
        return "Authenticate";
    }
}
