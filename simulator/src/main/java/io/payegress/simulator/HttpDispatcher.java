package io.payegress.simulator;

import io.netty.handler.codec.http.HttpHeaders;
import io.payegress.simulator.admin.AdminApi;
import io.payegress.simulator.admin.AdminReply;
import io.payegress.simulator.stats.RecordedRequest;
import io.payegress.simulator.stats.RequestLog;
import io.payegress.simulator.stats.StatsRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The Reactor Netty handler: aggregates the body, sends {@code /__sim/} calls to the admin API and every other call,
 * recorded and counted (coupon queries apart from the calls that change coupons), to the {@link ApiHandler}, then
 * writes the reply after any injected latency.
 */
final class HttpDispatcher {

    private final ApiHandler api;
    private final AdminApi admin;
    private final ReplyWriter writer;
    private final StatsRecorder stats;
    private final RequestLog requests;
    private final Clock clock;

    HttpDispatcher(
            ApiHandler api, AdminApi admin, ReplyWriter writer, StatsRecorder stats, RequestLog requests, Clock clock) {
        this.api = api;
        this.admin = admin;
        this.writer = writer;
        this.stats = stats;
        this.requests = requests;
        this.clock = clock;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String uri = request.uri();
        String method = request.method().name();
        HttpHeaders headers = request.requestHeaders();
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    if (uri.startsWith(AdminApi.PREFIX)) {
                        return writeAdmin(response, admin.handle(method, pathOf(uri), queryOf(uri), body));
                    }
                    if (ApiHandler.isQuery(method, uri)) {
                        stats.query();
                    } else {
                        stats.call();
                    }
                    requests.add(new RecordedRequest(method, uri, copy(headers), body, clock.instant()));
                    Reply reply = api.handle(method, uri, headers, body);
                    Mono<Void> write = Mono.defer(() -> {
                        if (reply.signing() != Reply.Signing.RESET) {
                            stats.status(reply.status());
                        }
                        return writer.write(response, reply);
                    });
                    return reply.latencyMs() > 0
                            ? Mono.delay(Duration.ofMillis(reply.latencyMs())).then(write)
                            : write;
                });
    }

    private static Mono<Void> writeAdmin(HttpServerResponse response, AdminReply reply) {
        return response.status(reply.status())
                .header("Content-Type", "application/json")
                .sendByteArray(Mono.just(reply.body()))
                .then();
    }

    private static Map<String, List<String>> copy(HttpHeaders headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String name : headers.names()) {
            copy.put(name, List.copyOf(headers.getAll(name)));
        }
        return copy;
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static Map<String, String> queryOf(String uri) {
        Map<String, String> params = new LinkedHashMap<>();
        int query = uri.indexOf('?');
        if (query >= 0) {
            for (String pair : uri.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return params;
    }
}
