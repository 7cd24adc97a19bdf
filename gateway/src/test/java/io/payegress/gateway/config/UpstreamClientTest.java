package io.payegress.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

class UpstreamClientTest {

    @Test
    void wechatsCallsAreWrittenAndAnsweredOnTheUpstreamEventLoopNotTheServers() {
        LoopResources loops = new PipelineConfiguration().upstreamLoops();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> response.sendString(Mono.just("{}")))
                .bindNow();
        try {
            AtomicReference<String> written = new AtomicReference<>();
            AtomicReference<String> answered = new AtomicReference<>();
            String body = PipelineConfiguration.upstreamClient(HttpClient.create(), loops)
                    .doOnRequest((request, connection) ->
                            written.set(Thread.currentThread().getName()))
                    .doOnResponse((response, connection) ->
                            answered.set(Thread.currentThread().getName()))
                    .get()
                    .uri("http://127.0.0.1:" + server.port() + "/")
                    .responseContent()
                    .aggregate()
                    .asString()
                    .block(Duration.ofSeconds(10));

            assertThat(body).isEqualTo("{}");
            assertThat(written.get()).startsWith("payegress-upstream");
            assertThat(answered.get()).startsWith("payegress-upstream");
        } finally {
            server.disposeNow();
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
