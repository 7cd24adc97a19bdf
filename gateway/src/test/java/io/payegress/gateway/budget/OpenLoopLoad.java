package io.payegress.gateway.budget;

import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;

import io.payegress.gateway.support.PaymentTestBed;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The budget end-to-end tests' load: a fixed arrival rate of fresh redemptions whatever the answers' latency (open
 * loop), spread over the replicas and two tenants; returns every answer's HTTP status.
 */
final class OpenLoopLoad {

    private static final List<String> KEYS = List.of("local-demo-key", "store-002-demo-key");

    private OpenLoopLoad() {}

    static List<Integer> run(List<WebClient> clients, long perSecond, Duration duration) {
        return Flux.interval(Duration.ofMillis(1000 / perSecond))
                .take(perSecond * duration.toSeconds())
                .onBackpressureBuffer()
                .flatMap(i -> send(clients.get((int) (i % clients.size())), KEYS.get((int) (i % KEYS.size()))), 4096)
                .collectList()
                .block(Duration.ofMinutes(2));
    }

    private static Mono<Integer> send(WebClient client, String apiKey) {
        return client.post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + apiKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PaymentTestBed.freshRedemption())
                .exchangeToMono(response ->
                        response.releaseBody().thenReturn(response.statusCode().value()));
    }
}
