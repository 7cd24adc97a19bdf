package io.payegress.filters.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.idempotency.LateOutcomes;
import io.payegress.filters.pipeline.AttemptHistory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/** The late check of an outcome left unknown: what it hands the dedupe stage to store, and what it declines. */
class LateReconcilerTest {

    private static final UpstreamFailure NO_ANSWER =
            new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown("no final answer within the deadline"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger queries = new AtomicInteger();
    private Mono<QueryResult> answer = Mono.just(ReconciliationFilterTest.found("USED", ReconciliationFilterTest.OURS));

    private LateReconciler reconciler(int maxPending) {
        CouponQuery query = (base, redemption, tenant, until) -> {
            queries.incrementAndGet();
            return answer;
        };
        return new LateReconciler(
                query, new ReconciliationMetrics(meters), JsonMapper.builder().build(), Clock.systemUTC(), maxPending);
    }

    private static MockServerWebExchange exchange(String body) {
        return ReconciliationFilterTest.exchange(body, AttemptHistory.EARLIER_ATTEMPT);
    }

    private static Optional<Mono<LateOutcomes.Resolution>> resolve(LateReconciler late, PaymentFailure failure) {
        return late.resolve(
                exchange(RedemptionTest.SEED), failure, Instant.now().plusSeconds(20));
    }

    private double counted(String meter, String... tags) {
        return meters.find(meter).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void aCouponFoundRedeemedUnderOurNumberIsTheSuccessToStore() {
        LateOutcomes.Resolution found =
                resolve(reconciler(10), NO_ANSWER).orElseThrow().block();

        assertThat(found).isInstanceOfSatisfying(LateOutcomes.Resolution.Succeeded.class, success -> {
            assertThat(success.response().status()).isEqualTo(200);
            assertThat(new String(success.response().body(), StandardCharsets.UTF_8))
                    .contains("\"wechatpay_use_time\":\"2026-01-02T11:04:05+08:00\"");
        });
        assertThat(counted(ReconciliationMetrics.UNKNOWN_OUTCOMES, "cause", "no_answer"))
                .isEqualTo(1);
        assertThat(counted(ReconciliationMetrics.RECONCILIATIONS, "trigger", "unknown_outcome", "result", "redeemed"))
                .isEqualTo(1);
    }

    @Test
    void aCouponUsedUnderAnotherNumberIsWeChatsRefusalToStore() {
        answer = Mono.just(ReconciliationFilterTest.found("USED", "another-order"));

        LateOutcomes.Resolution found =
                resolve(reconciler(10), NO_ANSWER).orElseThrow().block();

        assertThat(found)
                .isInstanceOfSatisfying(
                        LateOutcomes.Resolution.Failed.class,
                        failed -> assertThat(((UpstreamFailure) failed.failure()).outcome())
                                .isEqualTo(new UpstreamOutcome.Answered(
                                        400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "Q-7", null)));
    }

    @Test
    void aCouponNotUsedOrNoAnswerStoresNothing() {
        answer = Mono.just(ReconciliationFilterTest.found("SENDED", null));
        assertThat(resolve(reconciler(10), NO_ANSWER).orElseThrow().blockOptional())
                .isEmpty();

        answer = Mono.just(new QueryResult.Failed(QueryResult.Reason.UNAVAILABLE, "500 SYSTEM_ERROR"));
        assertThat(resolve(reconciler(10), NO_ANSWER).orElseThrow().blockOptional())
                .isEmpty();
        assertThat(counted(ReconciliationMetrics.RECONCILIATIONS, "result", "unresolved"))
                .isEqualTo(1);
    }

    @Test
    void aKnownOutcomeIsNotTaken() {
        UpstreamFailure unavailable =
                new UpstreamFailure(new UpstreamOutcome.Answered(500, "SYSTEM_ERROR", "busy", "W-2", null));

        assertThat(resolve(reconciler(10), unavailable)).isEmpty();
        assertThat(queries).hasValue(0);
        assertThat(counted(ReconciliationMetrics.UNKNOWN_OUTCOMES)).isZero();
    }

    @Test
    void withoutOpenidNothingCanBeFoundAndTheCaseIsCounted() {
        String withoutOpenid = RedemptionTest.SEED.replace(",\"openid\":\"xsd3434454567676\"", "");

        assertThat(reconciler(10)
                        .resolve(
                                exchange(withoutOpenid),
                                NO_ANSWER,
                                Instant.now().plusSeconds(20)))
                .isEmpty();
        assertThat(counted(ReconciliationMetrics.OPENID_MISSING)).isEqualTo(1);
        assertThat(counted(ReconciliationMetrics.RECONCILIATIONS, "result", "no_openid"))
                .isEqualTo(1);
    }

    @Test
    void beyondMaxPendingAChecksIsDroppedAndCountedUntilOneEnds() {
        Sinks.One<QueryResult> slow = Sinks.one();
        answer = slow.asMono();
        LateReconciler late = reconciler(1);
        Mono<LateOutcomes.Resolution> first =
                resolve(late, NO_ANSWER).orElseThrow().cache();
        first.subscribe();

        assertThat(resolve(late, NO_ANSWER)).isEmpty();
        assertThat(counted(ReconciliationMetrics.RECONCILIATIONS, "result", "dropped"))
                .isEqualTo(1);
        assertThat(meters.get("payegress.reconciliation.pending").gauge().value())
                .isEqualTo(1);

        slow.tryEmitValue(new QueryResult.Failed(QueryResult.Reason.UNAVAILABLE, "x"));
        first.blockOptional();
        assertThat(resolve(late, NO_ANSWER)).isPresent();
    }

    @Test
    void aClosedReconcilerTakesNothing() {
        LateReconciler late = reconciler(10);
        late.close();

        assertThat(resolve(late, NO_ANSWER)).isEmpty();
    }
}
