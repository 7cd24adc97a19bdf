package io.payegress.gateway.validation;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.payegress.filters.validation.Fixtures;
import io.payegress.filters.validation.FuzzBodies;
import io.payegress.filters.validation.PayloadValidator;
import io.payegress.filters.validation.ValidationResult;
import io.payegress.filters.validation.ValidationSettings;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Under Netty's paranoid leak detection, ten thousand generated invalid bodies, plus chunked oversize bodies and wrong media types, through the whole
 * gateway with the simulator behind it: every answer is 400, 403, 413 or 415 in the merchant shape, never a 5xx,
 * and WeChat is never called.
 */
class ValidationFuzzEndToEndTest {

    private static final long SEED = 20151120L;
    private static final Set<Integer> ALLOWED = Set.of(400, 403, 413, 415);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path keys;

    private record Answer(int status, String body) {}

    @Test
    void nothingInvalidReachesWeChatAndEveryRejectionIsInTheMerchantShape() {
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        ((Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector")).addAppender(leaks);
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            fuzz();
            forceLeakReports();
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
        assertThat(leaks.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("LEAK"));
    }

    /** Leaks are reported when a leaked buffer is collected and a later allocation polls the detector. */
    private static void forceLeakReports() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
            probe.release();
        }
    }

    private void fuzz() {
        List<byte[]> invalid = invalidBodies(10_000);
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                GatewayInstance gateway = bed.startGateway()) {
            WebClient client = WebClient.create(gateway.baseUrl());
            List<Mono<Answer>> calls = new ArrayList<>();
            invalid.forEach(body -> calls.add(send(client, MediaType.APPLICATION_JSON, Flux.just(wrap(body)))));
            for (int i = 0; i < 50; i++) {
                calls.add(send(client, MediaType.APPLICATION_JSON, chunkedOversize()));
                calls.add(send(client, MediaType.TEXT_PLAIN, Flux.just(wrap(Fixtures.utf8(Fixtures.SEED)))));
            }
            List<Answer> answers = Flux.fromIterable(calls)
                    .flatMap(call -> call, 16)
                    .collectList()
                    .block(Duration.ofMinutes(5));

            Map<Integer, Integer> byStatus = new TreeMap<>();
            answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
            assertThat(answers).hasSize(invalid.size() + 100);
            assertThat(byStatus.keySet()).isSubsetOf(ALLOWED).contains(400, 413, 415);
            answers.forEach(ValidationFuzzEndToEndTest::assertMerchantShape);
            assertThat(bed.simulator().stats().totalCalls()).isZero();
        }
    }

    /** The generated bodies the route's validator refuses (a few mutations stay valid and would rightly go upstream). */
    private static List<byte[]> invalidBodies(int n) {
        PayloadValidator validator = new PayloadValidator(Fixtures.couponsUseSchema(), ValidationSettings.defaults());
        List<byte[]> bodies = FuzzBodies.generate(SEED, n).stream()
                .filter(body -> validator.validate(body, Fixtures.store001()) instanceof ValidationResult.Rejected)
                .toList();
        assertThat(bodies).hasSizeGreaterThan(n * 9 / 10);
        return bodies;
    }

    private static Mono<Answer> send(WebClient client, MediaType type, Flux<DataBuffer> body) {
        return client.post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .contentType(type)
                .body(body, DataBuffer.class)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(text -> new Answer(response.statusCode().value(), text)));
    }

    private static Flux<DataBuffer> chunkedOversize() {
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) ' ');
        return Flux.range(0, 5).map(i -> wrap(chunk));
    }

    private static DataBuffer wrap(byte[] bytes) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }

    private static void assertMerchantShape(Answer answer) {
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
        assertThat(problem.get("code").asString()).isNotBlank();
        assertThat(problem.get("retryable").asBoolean()).isFalse();
        assertThat(problem.get("request_id").asString()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception", "at io.", "tools.jackson", "com.networknt");
    }
}
