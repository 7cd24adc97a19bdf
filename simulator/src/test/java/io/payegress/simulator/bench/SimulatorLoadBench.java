package io.payegress.simulator.bench;

import io.netty.handler.codec.http.HttpMethod;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.signing.Sha256WithRsa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Closed-loop load generator against a running simulator (not a unit test): pre-signs N redemptions of distinct
 * {@code load-<n>} coupons with the merchant private key PEM, then fires them with the given concurrency and prints
 * calls/s and the status mix. Args: baseUrl merchantKeyPem serial requests concurrency.
 */
public final class SimulatorLoadBench {

    private static final String USE = "/v3/marketing/busifavor/coupons/use";

    private SimulatorLoadBench() {}

    public static void main(String[] args) {
        String baseUrl = args[0];
        PrivateKey key = KeyMaterial.readPrivateKey(Path.of(args[1]));
        String serial = args[2];
        int requests = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        String run = Long.toString(System.nanoTime(), 36);
        long started = System.nanoTime();
        List<String[]> signed = IntStream.range(0, requests)
                .parallel()
                .mapToObj(i -> sign(key, serial, "load-" + run + "-" + i))
                .collect(Collectors.toList());
        System.out.printf("pre-signed %d requests in %d ms%n", requests, (System.nanoTime() - started) / 1_000_000);
        HttpClient client = HttpClient.create(ConnectionProvider.create("bench", concurrency))
                .baseUrl(baseUrl);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        Flux.fromIterable(signed)
                .flatMap(request -> call(client, request), concurrency)
                .doOnNext(status ->
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet())
                .blockLast(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "%d calls in %.2f s = %.0f calls/s, concurrency %d, statuses %s%n",
                requests, seconds, requests / seconds, concurrency, statuses);
    }

    private static Mono<Integer> call(HttpClient client, String[] request) {
        return client.headers(h -> h.set("Accept", "application/json")
                        .set("User-Agent", "bench/1.0")
                        .set("Content-Type", "application/json")
                        .set("Authorization", request[1]))
                .request(HttpMethod.POST)
                .uri(USE)
                .send(ByteBufFlux.fromString(Mono.just(request[0])))
                .responseSingle((response, body) -> body.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> response.status().code()));
    }

    private static String[] sign(PrivateKey key, String serial, String code) {
        String body = "{\"coupon_code\":\"" + code + "\",\"stock_id\":\"100088\",\"appid\":\"wx1234567889999\","
                + "\"use_time\":\"2015-05-20T13:29:35+08:00\",\"use_request_no\":\"" + code + "\"}";
        long timestamp = Instant.now().getEpochSecond();
        String nonce = Long.toHexString(Double.doubleToLongBits(Math.random()));
        String message = "POST\n" + USE + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        String signature = Sha256WithRsa.sign(key, message.getBytes(StandardCharsets.UTF_8));
        String auth = "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"" + nonce + "\",timestamp=\""
                + timestamp + "\",serial_no=\"" + serial + "\",signature=\"" + signature + "\"";
        return new String[] {body, auth};
    }
}
