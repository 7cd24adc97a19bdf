package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.Drain;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** What the Idempotency filter does, against whichever real store a subclass supplies. */
abstract class IdempotencyFilterBehaviour {

    static final Duration TIMEOUT = TestExchanges.TIMEOUT;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FakeUpstream upstream = new FakeUpstream();
    final Drain drain = new Drain();
    String useRequestNo;

    abstract DedupeStore store();

    @BeforeEach
    void newUseRequestNo() {
        useRequestNo = "1002600620019090" + UUID.randomUUID().toString().substring(0, 8);
    }

    GatewayFilter filter(IdempotencyGatewayFilterFactory.Config config) {
        return filter(store(), config);
    }

    GatewayFilter filter(DedupeStore store, IdempotencyGatewayFilterFactory.Config config) {
        return new IdempotencyGatewayFilterFactory(
                        store,
                        new FakeResponder(),
                        meters,
                        JsonMapper.builder().build(),
                        Clock.systemUTC(),
                        "1900000109",
                        LateOutcomes.NONE,
                        Duration.ZERO,
                        drain)
                .apply(config);
    }

    GatewayFilter filter() {
        return filter(new IdempotencyGatewayFilterFactory.Config());
    }

    MockServerWebExchange exchange(String couponCode) {
        return TestExchanges.couponUse(couponCode, useRequestNo);
    }

    static byte[] body(MockServerWebExchange exchange) {
        return TestExchanges.responseBody(exchange);
    }

    double decisions(String outcome) {
        return meters.counter(
                        IdempotencyMetrics.DECISIONS, "route", "coupons-use", "tenant", "store-001", "outcome", outcome)
                .count();
    }

    static void assertRejected(Throwable error, GatewayCode code) {
        assertThat(error).isInstanceOf(GatewayRejection.class);
        assertThat(((GatewayRejection) error).code()).isEqualTo(code);
    }

    @Test
    void ordersItselfAtTheIdempotencyStage() {
        assertThat(((org.springframework.core.Ordered) filter()).getOrder())
                .isEqualTo(PipelineStage.IDEMPOTENCY.order());
    }

    @Test
    void replaysStoredResponseForCompletedUseRequestNo() {
        GatewayFilter filter = filter();
        MockServerWebExchange first = exchange("c1");
        StepVerifier.create(filter.filter(first, upstream)).expectComplete().verify(TIMEOUT);
        MockServerWebExchange again = exchange("c1");
        StepVerifier.create(filter.filter(again, upstream)).expectComplete().verify(TIMEOUT);

        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(body(first)).containsExactly(FakeUpstream.SUCCESS_BODY);
        assertThat(body(again)).containsExactly(FakeUpstream.SUCCESS_BODY);
        assertThat(again.getResponse().getStatusCode().value()).isEqualTo(200);
        assertThat(again.getResponse().getHeaders().getFirst("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(again.getResponse().getHeaders().getFirst("X-Upstream-Request-Id"))
                .isEqualTo("08F78BB5AF0D11E");
        assertThat(again.getResponse().getHeaders().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(again.getResponse().getHeaders().getFirst("X-Internal-Debug"))
                .isNull();
        assertThat(first.getResponse().getHeaders().getFirst("Idempotent-Replayed"))
                .isNull();
        assertThat(decisions("first")).isEqualTo(1);
        assertThat(decisions("replayed")).isEqualTo(1);
    }

    @Test
    void refusesTheSameUseRequestNoWithAnotherBodyAfterCompletion() {
        GatewayFilter filter = filter();
        filter.filter(exchange("c1"), upstream).block(TIMEOUT);
        StepVerifier.create(filter.filter(exchange("c2"), upstream))
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.IDEMPOTENCY_KEY_REUSED))
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(decisions("key_reused")).isEqualTo(1);
    }

    @Test
    void duplicateWhileInFlightWaitsForTheFirstAndReplaysItsResult() {
        WatchedAwaits store = new WatchedAwaits(store());
        GatewayFilter filter = filter(store, new IdempotencyGatewayFilterFactory.Config());
        Sinks.Empty<Void> release = upstream.hold();
        MockServerWebExchange first = exchange("c1");
        Mono<Void> firstRun = filter.filter(first, upstream).cache();
        firstRun.subscribe();
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);
        MockServerWebExchange duplicate = exchange("c1");
        Mono<Void> duplicateRun = filter.filter(duplicate, upstream).cache();
        duplicateRun.subscribe();
        await().atMost(TIMEOUT).until(() -> store.awaits() == 1);

        release.tryEmitEmpty();
        StepVerifier.create(firstRun).expectComplete().verify(TIMEOUT);
        StepVerifier.create(duplicateRun).expectComplete().verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(body(duplicate)).containsExactly(FakeUpstream.SUCCESS_BODY);
        assertThat(duplicate.getResponse().getHeaders().getFirst("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(decisions("coalesced")).isEqualTo(1);
    }

    @Test
    void duplicateStillInFlightAfterTheWaitGetsRequestInProgress() {
        IdempotencyGatewayFilterFactory.Config config = new IdempotencyGatewayFilterFactory.Config();
        config.setInFlightWait(Duration.ofMillis(100));
        GatewayFilter filter = filter(config);
        upstream.hold();
        filter.filter(exchange("c1"), upstream).subscribe();
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        StepVerifier.create(filter.filter(exchange("c1"), upstream))
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.REQUEST_IN_PROGRESS))
                .verify(TIMEOUT);
        assertThat(decisions("in_progress")).isEqualTo(1);
    }

    @Test
    void duplicateWaitingOnARequestThatFailsRetryablyRunsItself() {
        WatchedAwaits store = new WatchedAwaits(store());
        GatewayFilter filter = filter(store, new IdempotencyGatewayFilterFactory.Config());
        upstream.failWith(new UpstreamFailure(new UpstreamOutcome.Unreachable("connection refused")));
        Sinks.Empty<Void> release = upstream.hold();
        Mono<Void> firstRun = filter.filter(exchange("c1"), upstream).cache();
        firstRun.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        Mono<Void> duplicateRun = filter.filter(exchange("c1"), upstream).cache();
        duplicateRun.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> store.awaits() == 1);
        release.tryEmitEmpty();

        StepVerifier.create(firstRun).expectError(UpstreamFailure.class).verify(TIMEOUT);
        StepVerifier.create(duplicateRun).expectError(UpstreamFailure.class).verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(2);
        assertThat(decisions("in_progress")).isZero();
        assertThat(decisions("first")).isEqualTo(2);
    }

    @Test
    void anotherBodyWhileInFlightIsRefusedWithoutWaiting() {
        IdempotencyGatewayFilterFactory.Config config = new IdempotencyGatewayFilterFactory.Config();
        config.setInFlightWait(Duration.ofSeconds(25));
        GatewayFilter filter = filter(config);
        upstream.hold();
        filter.filter(exchange("c1"), upstream).subscribe();
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        StepVerifier.create(filter.filter(exchange("c2"), upstream))
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.IDEMPOTENCY_KEY_REUSED))
                .verify(TIMEOUT);
    }

    @Test
    void retryableFailureReleasesTheKeySoTheSameUseRequestNoCanBeSentAgain() {
        GatewayFilter filter = filter();
        UpstreamFailure unreachable = new UpstreamFailure(new UpstreamOutcome.Unreachable("connect refused"));
        upstream.failWith(unreachable);
        StepVerifier.create(filter.filter(exchange("c1"), upstream))
                .expectErrorMatches(e -> e == unreachable)
                .verify(TIMEOUT);

        StepVerifier.create(filter.filter(exchange("c1"), upstream))
                .expectErrorMatches(e -> e == unreachable)
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(2);
        assertThat(decisions("first")).isEqualTo(2);
    }

    @Test
    void retryableGatewayRefusalBelowDedupeReleasesTheKeyLikeTheSigningStagesOverload503() {
        GatewayFilter filter = filter();
        GatewayRejection busy = new GatewayRejection(
                GatewayCode.SERVICE_UNAVAILABLE, "Too busy to sign.", List.of(), Duration.ofSeconds(1));
        upstream.failWith(busy);
        StepVerifier.create(filter.filter(exchange("c1"), upstream))
                .expectErrorMatches(e -> e == busy)
                .verify(TIMEOUT);

        StepVerifier.create(filter.filter(exchange("c1"), upstream))
                .expectErrorMatches(e -> e == busy)
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(2);
        assertThat(decisions("first")).isEqualTo(2);
    }

    @Test
    void finalFailureIsRenderedByTheResponderStoredAndReplayed() {
        GatewayFilter filter = filter();
        upstream.failWith(new UpstreamFailure(
                new UpstreamOutcome.Answered(400, "RESOURCE_ALREADY_EXISTS", "used", "REQ-1", null)));
        MockServerWebExchange first = exchange("c1");
        StepVerifier.create(filter.filter(first, upstream)).expectComplete().verify(TIMEOUT);
        MockServerWebExchange again = exchange("c1");
        StepVerifier.create(filter.filter(again, upstream)).expectComplete().verify(TIMEOUT);

        byte[] expected = "{\"code\":\"RESOURCE_ALREADY_EXISTS\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(body(first)).containsExactly(expected);
        assertThat(body(again)).containsExactly(expected);
        assertThat(again.getResponse().getStatusCode().value()).isEqualTo(409);
        assertThat(again.getResponse().getHeaders().getFirst("Content-Type")).isEqualTo("application/problem+json");
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void takesUseRequestNoFromTheValidationStageBeforeTheBody() {
        GatewayFilter filter = filter();
        MockServerWebExchange first = exchange("c1");
        PaymentExchange.useRequestNo(first, "validated-" + useRequestNo);
        filter.filter(first, upstream).block(TIMEOUT);
        filter.filter(exchange("c1"), upstream).block(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(2);
    }

    @Test
    void bodyWithoutUseRequestNoIsAValidationFailure() {
        MockServerWebExchange exchange = exchange("c1");
        PaymentExchange.body(exchange, "{\"coupon_code\":\"c1\"}".getBytes(StandardCharsets.UTF_8));
        StepVerifier.create(filter().filter(exchange, upstream))
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.VALIDATION_FAILED))
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void cancelledFirstRequestReleasesTheKey() {
        GatewayFilter filter = filter();
        Sinks.Empty<Void> gate = upstream.hold();
        Disposable first = filter.filter(exchange("c1"), upstream).subscribe();
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);
        first.dispose();
        gate.tryEmitEmpty();

        upstream.failWith(new UpstreamFailure(new UpstreamOutcome.Unreachable("still down")));
        StepVerifier.create(Mono.defer(() -> filter.filter(exchange("c1"), upstream)))
                .expectError(UpstreamFailure.class)
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(2);
    }

    @Test
    void drainCutsOffARunningFirstRequestWithARetryableAnswerAndReleasesItsKey() {
        GatewayFilter filter = filter();
        upstream.hold();
        Mono<Void> run = filter.filter(exchange("c1"), upstream).cache();
        run.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        drain.begin();

        StepVerifier.create(run)
                .expectErrorSatisfies(e -> {
                    assertRejected(e, GatewayCode.SERVICE_UNAVAILABLE);
                    assertThat(GatewayCode.SERVICE_UNAVAILABLE.retryable()).isTrue();
                })
                .verify(TIMEOUT);
        assertThat(keyIsFree()).isTrue();
    }

    @Test
    void drainCutsOffARequestWrittenToWeChatWithOutcomeUnknownAndReleasesItsKey() {
        GatewayFilter filter = filter();
        upstream.hold();
        MockServerWebExchange exchange = exchange("c1");
        Mono<Void> run = filter.filter(exchange, upstream).cache();
        run.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);
        PaymentExchange.markWritten(exchange);

        drain.begin();

        StepVerifier.create(run)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(UpstreamFailure.class);
                    assertThat(((UpstreamFailure) e).outcome()).isInstanceOf(UpstreamOutcome.OutcomeUnknown.class);
                    assertThat(((UpstreamFailure) e).isTransient()).isTrue();
                })
                .verify(TIMEOUT);
        assertThat(keyIsFree()).isTrue();
    }

    @Test
    void drainCutsOffADuplicateWaitingForTheFirstRequest() {
        WatchedAwaits store = new WatchedAwaits(store());
        GatewayFilter filter = filter(store, new IdempotencyGatewayFilterFactory.Config());
        upstream.hold();
        Mono<Void> firstRun = filter.filter(exchange("c1"), upstream).cache();
        firstRun.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);
        Mono<Void> duplicateRun = filter.filter(exchange("c1"), upstream).cache();
        duplicateRun.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> store.awaits() == 1);

        drain.begin();

        StepVerifier.create(duplicateRun)
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.SERVICE_UNAVAILABLE))
                .verify(TIMEOUT);
        StepVerifier.create(firstRun)
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.SERVICE_UNAVAILABLE))
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void theReleaseForAClientThatLeftIsWatchedByTheDrain() throws InterruptedException {
        GatewayFilter filter = filter();
        upstream.hold();
        Disposable first = filter.filter(exchange("c1"), upstream).subscribe();
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        first.dispose();

        assertThat(drain.awaitFinished(TIMEOUT)).isTrue();
        assertThat(keyIsFree())
                .as("released by the time the drain saw it finish")
                .isTrue();
    }

    /** Whether the test's use_request_no can be claimed now (it is then held by a probe owner). */
    private boolean keyIsFree() {
        DedupeKey key = new DedupeKey("1900000109", "coupons-use", useRequestNo);
        return store().claim(key, Fingerprint.of(new byte[] {1}), "probe", Duration.ofMinutes(1), Duration.ofMinutes(1))
                        .block(TIMEOUT)
                instanceof ClaimOutcome.Claimed;
    }

    @Test
    void clientGoneWhileClaimingReleasesTheKeyOnceTheClaimLands() {
        Sinks.Empty<Void> claimReply = Sinks.empty();
        GatewayFilter filter =
                filter(new GatedClaims(store(), claimReply.asMono()), new IdempotencyGatewayFilterFactory.Config());
        filter.filter(exchange("c1"), upstream).subscribe().dispose();
        claimReply.tryEmitEmpty();

        DedupeKey key = new DedupeKey("1900000109", "coupons-use", useRequestNo);
        Fingerprint probe = Fingerprint.of(new byte[] {1});
        await().atMost(TIMEOUT)
                .until(() -> store().claim(key, probe, "probe", Duration.ofMinutes(1), Duration.ofMinutes(1))
                                .block(TIMEOUT)
                        instanceof ClaimOutcome.Claimed);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void overlongUseRequestNoIsAValidationFailure() {
        useRequestNo = "9".repeat(DedupeKey.MAX_COMPONENT_LENGTH + 1);
        StepVerifier.create(filter().filter(exchange("c1"), upstream))
                .expectErrorSatisfies(e -> assertRejected(e, GatewayCode.VALIDATION_FAILED))
                .verify(TIMEOUT);
        assertThat(upstream.calls()).isZero();
    }
}
