package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.AttemptHistory;
import io.payegress.filters.pipeline.Drain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dedupe stage tells a first request about earlier attempts with its number, and what it does with an
 * unknown outcome: hands it to {@link LateOutcomes}, stores what is found, or releases the claim keeping the marker;
 * and how a request the replica's drain cuts off leaves the number's history.
 */
class AttemptHistoryAndLateOutcomesTest {

    private static final Duration TIMEOUT = TestExchanges.TIMEOUT;
    private static final UpstreamFailure UNKNOWN = new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown("reset"));
    private static final StoredResponse FOUND = new StoredResponse(
            200,
            List.of(new StoredResponse.Header("Content-Type", "application/json")),
            "{\"stock_id\":\"100088\"}".getBytes(StandardCharsets.UTF_8));

    private final FakeUpstream upstream = new FakeUpstream();
    private final InMemoryDedupeStore store = new InMemoryDedupeStore(Clock.systemUTC(), 1_000);
    private final String useRequestNo = "hist-" + UUID.randomUUID().toString().substring(0, 8);
    private final Drain drain = new Drain();

    private GatewayFilter filter(DedupeStore dedupe, LateOutcomes late, Duration doubt) {
        return filter(dedupe, late, doubt, FailurePolicy.FAIL_OPEN_LOCAL);
    }

    private GatewayFilter filter(DedupeStore dedupe, LateOutcomes late, Duration doubt, FailurePolicy policy) {
        IdempotencyGatewayFilterFactory.Config config = new IdempotencyGatewayFilterFactory.Config();
        config.setFailurePolicy(policy);
        return new IdempotencyGatewayFilterFactory(
                        dedupe,
                        new FakeResponder(),
                        new SimpleMeterRegistry(),
                        JsonMapper.builder().build(),
                        Clock.systemUTC(),
                        "1900000109",
                        late,
                        doubt,
                        drain)
                .apply(config);
    }

    /** The in-memory store posing as one that several replicas share (as Redis is). */
    private DedupeStore sharedStore() {
        return new ForwardingDedupeStore(store) {
            @Override
            public boolean sharedByReplicas() {
                return true;
            }
        };
    }

    private GatewayFilter filter(LateOutcomes late) {
        return filter(store, late, Duration.ZERO);
    }

    private MockServerWebExchange exchange() {
        return TestExchanges.couponUse("c1", useRequestNo);
    }

    private static void fails(GatewayFilter filter, MockServerWebExchange exchange, FakeUpstream upstream) {
        StepVerifier.create(filter.filter(exchange, upstream))
                .expectError(UpstreamFailure.class)
                .verify(TIMEOUT);
    }

    @Test
    void aRetryAfterAWrittenAttemptLearnsOfItAndOneAfterNothingWasWrittenDoesNot() {
        GatewayFilter filter = filter(LateOutcomes.NONE);
        upstream.failWith(new UpstreamFailure(new UpstreamOutcome.Unreachable("refused")));
        fails(filter, exchange(), upstream);
        fails(filter, exchange(), upstream);
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);
        upstream.succeed();
        StepVerifier.create(filter.filter(exchange(), upstream))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(upstream.histories())
                .containsExactly(
                        AttemptHistory.NONE, AttemptHistory.NONE, AttemptHistory.NONE, AttemptHistory.EARLIER_ATTEMPT);
    }

    @Test
    void aClaimTheLocalFallbackAnsweredHasAnUnknownHistoryAndSoDoClaimsWithinTheDoubtHorizon() {
        AtomicInteger failures = new AtomicInteger(1);
        DedupeStore flaky = new ForwardingDedupeStore(store) {
            @Override
            public Mono<ClaimOutcome> claim(
                    DedupeKey key, Fingerprint fingerprint, String ownerId, Duration inFlightTtl, Duration historyTtl) {
                return failures.getAndDecrement() > 0
                        ? Mono.error(new IllegalStateException("Redis is down"))
                        : super.claim(key, fingerprint, ownerId, inFlightTtl, historyTtl);
            }
        };
        GatewayFilter doubting = filter(flaky, LateOutcomes.NONE, Duration.ofMinutes(10));
        upstream.failWith(new UpstreamFailure(new UpstreamOutcome.Unreachable("refused")));

        fails(doubting, exchange(), upstream);
        fails(doubting, exchange(), upstream);
        fails(filter(store, LateOutcomes.NONE, Duration.ZERO), exchange(), upstream);

        assertThat(upstream.histories())
                .containsExactly(AttemptHistory.UNKNOWN, AttemptHistory.UNKNOWN, AttemptHistory.NONE);
    }

    @Test
    void aStoreReplicasShareCanVouchForAHistoryOnlyUnderFailClosed() {
        upstream.failWith(new UpstreamFailure(new UpstreamOutcome.Unreachable("refused")));
        fails(
                filter(sharedStore(), LateOutcomes.NONE, Duration.ZERO, FailurePolicy.FAIL_OPEN_LOCAL),
                exchange(),
                upstream);
        fails(filter(sharedStore(), LateOutcomes.NONE, Duration.ZERO, FailurePolicy.FAIL_CLOSED), exchange(), upstream);
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter(sharedStore(), LateOutcomes.NONE, Duration.ZERO, FailurePolicy.FAIL_CLOSED), exchange(), upstream);
        fails(
                filter(sharedStore(), LateOutcomes.NONE, Duration.ZERO, FailurePolicy.FAIL_OPEN_LOCAL),
                exchange(),
                upstream);

        assertThat(upstream.histories())
                .containsExactly(
                        AttemptHistory.UNKNOWN,
                        AttemptHistory.NONE,
                        AttemptHistory.NONE,
                        AttemptHistory.EARLIER_ATTEMPT);
    }

    @Test
    void anUnknownOutcomeFoundLaterIsStoredAndTheResendIsAnsweredWithoutAnotherAttempt() {
        AtomicReference<Instant> until = new AtomicReference<>();
        GatewayFilter filter = filter((exchange, failure, deadline) -> {
            until.set(deadline);
            return Optional.of(Mono.just(new LateOutcomes.Resolution.Succeeded(FOUND)));
        });
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);

        MockServerWebExchange resend = exchange();
        StepVerifier.create(filter.filter(resend, upstream)).expectComplete().verify(TIMEOUT);

        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(TestExchanges.responseBody(resend)).containsExactly(FOUND.body());
        assertThat(resend.getResponse().getHeaders().getFirst("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(until.get())
                .isBetween(Instant.now().plusSeconds(20), Instant.now().plusSeconds(30));
    }

    @Test
    void aFinalFailureFoundLaterIsRenderedByTheResponderStoredAndReplayed() {
        PaymentFailure usedByAnother = new UpstreamFailure(
                new UpstreamOutcome.Answered(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "R-9", null));
        GatewayFilter filter = filter((exchange, failure, until) ->
                Optional.of(Mono.just(new LateOutcomes.Resolution.Failed(usedByAnother))));
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);

        MockServerWebExchange resend = exchange();
        StepVerifier.create(filter.filter(resend, upstream)).expectComplete().verify(TIMEOUT);

        assertThat(upstream.calls()).isEqualTo(1);
        assertThat(resend.getResponse().getStatusCode().value()).isEqualTo(409);
        assertThat(new String(TestExchanges.responseBody(resend), StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":\"RESOURCE_ALREADY_EXISTS\"}");
    }

    @Test
    void nothingFoundLaterReleasesTheClaimAndTheResendRunsKnowingOfTheEarlierAttempt() {
        GatewayFilter filter = filter((exchange, failure, until) -> Optional.of(Mono.empty()));
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);
        upstream.succeed();

        StepVerifier.create(filter.filter(exchange(), upstream))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(upstream.calls()).isEqualTo(2);
        assertThat(upstream.histories()).containsExactly(AttemptHistory.NONE, AttemptHistory.EARLIER_ATTEMPT);
    }

    @Test
    void aResendWhileTheOutcomeIsSoughtWaitsForTheFinding() {
        Sinks.One<LateOutcomes.Resolution> finding = Sinks.one();
        GatewayFilter filter = filter((exchange, failure, until) -> Optional.of(finding.asMono()));
        upstream.writesToWeChat();
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);

        MockServerWebExchange resend = exchange();
        Mono<Void> waiting = filter.filter(resend, upstream).cache();
        waiting.subscribe();
        finding.tryEmitValue(new LateOutcomes.Resolution.Succeeded(FOUND));

        StepVerifier.create(waiting).expectComplete().verify(TIMEOUT);
        assertThat(TestExchanges.responseBody(resend)).containsExactly(FOUND.body());
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void nothingIsSoughtWhenNoAttemptWasWritten() {
        AtomicInteger asked = new AtomicInteger();
        GatewayFilter filter = filter((exchange, failure, until) -> {
            asked.incrementAndGet();
            return Optional.of(Mono.empty());
        });
        upstream.failWith(UNKNOWN);
        fails(filter, exchange(), upstream);

        await().atMost(TIMEOUT)
                .until(() -> store.claim(
                                                new DedupeKey("1900000109", "coupons-use", useRequestNo),
                                                Fingerprint.of(new byte[] {1}),
                                                "probe",
                                                Duration.ofMinutes(1),
                                                Duration.ofMinutes(1))
                                        .block(TIMEOUT)
                                instanceof ClaimOutcome.Claimed claimed
                        && !claimed.earlierAttempt());
        assertThat(asked).hasValue(0);
    }

    @Test
    void aRequestCutOffByTheDrainAfterItsAttemptWasWrittenEndsOutcomeUnknownAndKeepsTheAttemptMarker() {
        AtomicInteger asked = new AtomicInteger();
        GatewayFilter filter = filter((exchange, failure, until) -> {
            asked.incrementAndGet();
            return Optional.of(Mono.never());
        });
        upstream.writesToWeChat();
        upstream.hold();
        Mono<Void> run = filter.filter(exchange(), upstream).cache();
        run.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        drain.begin();

        StepVerifier.create(run)
                .expectErrorSatisfies(e ->
                        assertThat(((UpstreamFailure) e).outcome()).isInstanceOf(UpstreamOutcome.OutcomeUnknown.class))
                .verify(TIMEOUT);
        assertThat(asked).as("a draining replica hands no unknown outcome on").hasValue(0);
        assertThat(probe())
                .isInstanceOfSatisfying(
                        ClaimOutcome.Claimed.class,
                        claimed -> assertThat(claimed.earlierAttempt())
                                .as("claim released, attempt marker kept")
                                .isTrue());
    }

    @Test
    void aRequestCutOffByTheDrainBeforeAnyAttemptWasWrittenReleasesItsKeyWithoutAMarker() {
        GatewayFilter filter = filter(LateOutcomes.NONE);
        upstream.hold();
        Mono<Void> run = filter.filter(exchange(), upstream).cache();
        run.subscribe(null, error -> {});
        await().atMost(TIMEOUT).until(() -> upstream.calls() == 1);

        drain.begin();

        StepVerifier.create(run)
                .expectErrorSatisfies(
                        e -> IdempotencyFilterBehaviour.assertRejected(e, GatewayCode.SERVICE_UNAVAILABLE))
                .verify(TIMEOUT);
        assertThat(probe())
                .isInstanceOfSatisfying(
                        ClaimOutcome.Claimed.class,
                        claimed -> assertThat(claimed.earlierAttempt()).isFalse());
    }

    private ClaimOutcome probe() {
        return store.claim(
                        new DedupeKey("1900000109", "coupons-use", useRequestNo),
                        Fingerprint.of(new byte[] {1}),
                        "probe",
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(1))
                .block(TIMEOUT);
    }
}
