package io.payegress.gateway.idempotency;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;

import io.payegress.gateway.support.GatewayInstance;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A POS terminal in the end-to-end tests: sends coupons/use redemptions to one replica and keeps what came back. */
public final class Pos {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Pos() {}

    /** One answer as the POS saw it: status, the {@code Idempotent-Replayed} header (or "") and the body text. */
    public record Answer(int status, String replayed, String contentType, String body) {

        public boolean isReplay() {
            return "true".equals(replayed);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    static Mono<Answer> send(GatewayInstance gateway, String body) {
        return send(WebClient.create(gateway.baseUrl()), body);
    }

    public static Mono<Answer> send(WebClient client, String body) {
        return client.post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(text -> new Answer(
                                response.statusCode().value(),
                                header(response.headers().header("Idempotent-Replayed")),
                                header(response.headers().header("Content-Type")),
                                text)));
    }

    /** Sends and waits at most {@code within} for the answer (fails the test with a timeout otherwise). */
    static Answer redeem(GatewayInstance gateway, String body, Duration within) {
        return send(gateway, body).block(within);
    }

    static Answer redeem(GatewayInstance gateway, String body) {
        return redeem(gateway, body, Duration.ofSeconds(30));
    }

    private static String header(List<String> values) {
        return values.isEmpty() ? "" : values.get(0);
    }
}
