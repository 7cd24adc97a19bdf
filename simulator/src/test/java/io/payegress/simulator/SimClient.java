package io.payegress.simulator;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A blocking test client for the simulator over real HTTP (reactor-netty HttpClient). */
final class SimClient {

    static final String USE = "/v3/marketing/busifavor/coupons/use";
    static final String RETURN = "/v3/marketing/busifavor/coupons/return";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final TestSigner signer;
    private final Clock clock;

    SimClient(String baseUrl, TestSigner signer, Clock clock) {
        this.client = HttpClient.create().baseUrl(baseUrl).disableRetry(true);
        this.signer = signer;
        this.clock = clock;
    }

    /** A correctly signed POST with Accept, User-Agent and Content-Type. */
    Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    /** A signed POST; {@code overrides} replace (or, with an empty value, remove) headers. */
    Response post(String path, String body, Map<String, String> overrides) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String authorization = signer.authorization("POST", path, timestamp, nonce, bytes);
        return send("POST", path, bytes, headers -> {
            headers.set("Accept", "application/json");
            headers.set("User-Agent", "payegress-test/1.0");
            headers.set("Content-Type", "application/json");
            headers.set("Authorization", authorization);
            overrides.forEach((name, value) -> {
                if (value.isEmpty()) {
                    headers.remove(name);
                } else {
                    headers.set(name, value);
                }
            });
        });
    }

    /** A correctly signed GET (empty body) with Accept and User-Agent, as the coupon query is sent. */
    Response get(String path) {
        long timestamp = clock.instant().getEpochSecond();
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String authorization = signer.authorization("GET", path, timestamp, nonce, new byte[0]);
        return client.headers(headers -> {
                    headers.set("Accept", "application/json");
                    headers.set("User-Agent", "payegress-test/1.0");
                    headers.set("Authorization", authorization);
                })
                .get()
                .uri(path)
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Response(response.status().code(), response.responseHeaders(), bytes)))
                .block(Duration.ofSeconds(10));
    }

    Response admin(String method, String path, String body) {
        return send(
                method,
                path,
                body.getBytes(StandardCharsets.UTF_8),
                headers -> headers.set("Content-Type", "application/json"));
    }

    private Response send(String method, String path, byte[] body, java.util.function.Consumer<HttpHeaders> headers) {
        return client.headers(headers)
                .request(HttpMethod.valueOf(method))
                .uri(path)
                .send(ByteBufFlux.fromString(Mono.just(new String(body, StandardCharsets.UTF_8))))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Response(response.status().code(), response.responseHeaders(), bytes)))
                .block(Duration.ofSeconds(10));
    }

    /** A received answer: status, headers and the exact body bytes. */
    record Response(int status, HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String code() {
            return json().path("code").asString();
        }

        String header(String name) {
            return headers.get(name);
        }
    }
}
