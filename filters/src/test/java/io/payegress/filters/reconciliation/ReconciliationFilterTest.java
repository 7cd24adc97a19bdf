package io.payegress.filters.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import io.payegress.filters.pipeline.AttemptHistory;
import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.reconciliation.ReconciliationRules.Verification;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The RECONCILIATION stage around one attempt answered RESOURCE_ALREADY_EXISTS, with a scripted coupon query. */
class ReconciliationFilterTest {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String OURS = "1002600620019090123143254435";
    static final UpstreamFailure ALREADY_EXISTS =
            new UpstreamFailure(new UpstreamOutcome.Answered(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销", "W-1", null));
    static final Tenant STORE =
            new Tenant(new TenantId("store-001"), List.of(), Set.of(), Map.of(), 1, OptionalInt.empty(), false);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Redemption> queried = new CopyOnWriteArrayList<>();
    private QueryResult answer = found("USED", OURS);

    static QueryResult found(String state, String number) {
        return new QueryResult.Found(new QueriedCoupon(state, number, "2026-01-02T11:04:05+08:00", "100088"), "Q-7");
    }

    private ReconciliationFilter filter(Verification verification) {
        CouponQuery query = (base, redemption, tenant, until) -> {
            assertThat(base.getHost()).isEqualTo("api.mch.weixin.qq.com");
            queried.add(redemption);
            return Mono.just(answer);
        };
        return new ReconciliationFilter(
                query,
                verification,
                new ReconciliationMetrics(meters),
                JsonMapper.builder().build(),
                Clock.systemUTC());
    }

    static MockServerWebExchange exchange(String body, AttemptHistory history) {
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use")
                        .body(body));
        PaymentExchange.body(exchange, body.getBytes(StandardCharsets.UTF_8));
        PaymentExchange.tenant(exchange, STORE);
        PaymentExchange.attemptHistory(exchange, history);
        PaymentExchange.deadline(exchange, Instant.now().plusSeconds(8));
        Route route = Route.async()
                .id("coupons-use")
                .uri(URI.create("https://api.mch.weixin.qq.com"))
                .predicate(e -> true)
                .build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        return exchange;
    }

    /** The rest of the attempt: writes to WeChat, which answers RESOURCE_ALREADY_EXISTS. */
    static GatewayFilterChain refused() {
        return exchange -> {
            PaymentExchange.markWritten(exchange);
            return Mono.error(ALREADY_EXISTS);
        };
    }

    static String body(MockServerWebExchange exchange) {
        return DataBufferUtils.join(exchange.getResponse().getBody())
                .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .block(TIMEOUT);
    }

    private double reconciled(String result) {
        return meters.counter(
                        ReconciliationMetrics.RECONCILIATIONS,
                        "route",
                        "coupons-use",
                        "trigger",
                        "already_exists",
                        "result",
                        result)
                .count();
    }

    @Test
    void ordersItselfAtTheReconciliationStage() {
        assertThat(filter(Verification.WHEN_AMBIGUOUS).getOrder()).isEqualTo(PipelineStage.RECONCILIATION.order());
    }

    @Test
    void aCleanHistoryKeepsWeChatsAnswerWithoutAQuery() {
        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.NONE), refused()))
                .expectErrorMatches(error -> error == ALREADY_EXISTS)
                .verify(TIMEOUT);
        assertThat(queried).isEmpty();
    }

    @Test
    void anEarlierAttemptOfThisRequestFoundRedeemedUnderOurNumberIsASuccess() {
        MockServerWebExchange exchange = exchange(RedemptionTest.SEED, AttemptHistory.NONE);
        PaymentExchange.markWritten(exchange);

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS).filter(exchange, refused()))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(200);
        assertThat(exchange.getResponse().getHeaders().getFirst("X-Upstream-Request-Id"))
                .isEqualTo("Q-7");
        assertThat(body(exchange))
                .isEqualTo("{\"stock_id\":\"100088\",\"openid\":\"xsd3434454567676\","
                        + "\"wechatpay_use_time\":\"2026-01-02T11:04:05+08:00\"}");
        assertThat(queried).singleElement().extracting(Redemption::couponCode).isEqualTo("sxxe34343434");
        assertThat(reconciled("redeemed")).isEqualTo(1);
    }

    @Test
    void anEarlierRequestsAttemptRememberedByTheDedupeRecordMakesItAmbiguousToo() {
        MockServerWebExchange exchange = exchange(RedemptionTest.SEED, AttemptHistory.EARLIER_ATTEMPT);

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS).filter(exchange, refused()))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aCouponUsedUnderAnotherNumberKeepsWeChatsAnswer() {
        answer = found("USED", "another-order");

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.UNKNOWN), refused()))
                .expectErrorMatches(error -> error == ALREADY_EXISTS)
                .verify(TIMEOUT);
        assertThat(reconciled("used_by_another")).isEqualTo(1);
    }

    @Test
    void aCouponNotUsedFailsTheAttemptTransientlySoTheRetryStageSendsItAgain() {
        answer = found("SENDED", null);

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.EARLIER_ATTEMPT), refused()))
                .expectErrorSatisfies(error -> {
                    assertThat(((UpstreamFailure) error).isTransient()).isTrue();
                    assertThat(((UpstreamFailure) error).outcome()).isInstanceOf(UpstreamOutcome.OutcomeUnknown.class);
                })
                .verify(TIMEOUT);
        assertThat(reconciled("not_used")).isEqualTo(1);
    }

    @Test
    void aQueryWithoutAnswerLeavesAnAmbiguousOutcomeUnknownAndNotRetried() {
        answer = new QueryResult.Failed(QueryResult.Reason.BUDGET, "no budget");

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.EARLIER_ATTEMPT), refused()))
                .expectErrorSatisfies(error -> {
                    UpstreamFailure failure = (UpstreamFailure) error;
                    assertThat(failure.isTransient()).isFalse();
                    assertThat(failure.outcome())
                            .isEqualTo(new UpstreamOutcome.Unresolved(
                                    UpstreamOutcome.Unresolved.Cause.QUERY_FAILED,
                                    (UpstreamOutcome.Answered) ALREADY_EXISTS.outcome()));
                })
                .verify(TIMEOUT);
        assertThat(reconciled("unresolved")).isEqualTo(1);
    }

    @Test
    void anAmbiguousRedemptionWithoutOpenidIsUnknownNeverAlreadyUsedAndIsCounted() {
        String withoutOpenid = RedemptionTest.SEED.replace(",\"openid\":\"xsd3434454567676\"", "");

        StepVerifier.create(filter(Verification.WHEN_AMBIGUOUS)
                        .filter(exchange(withoutOpenid, AttemptHistory.EARLIER_ATTEMPT), refused()))
                .expectErrorSatisfies(error -> assertThat(((UpstreamFailure) error).outcome())
                        .isInstanceOfSatisfying(
                                UpstreamOutcome.Unresolved.class,
                                unresolved -> assertThat(unresolved.cause())
                                        .isEqualTo(UpstreamOutcome.Unresolved.Cause.NO_OPENID)))
                .verify(TIMEOUT);
        assertThat(queried).isEmpty();
        assertThat(meters.counter(ReconciliationMetrics.OPENID_MISSING, "route", "coupons-use", "tenant", "store-001")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void verificationAlwaysQueriesEvenWhenTheHistoryIsClean() {
        answer = found("USED", "another-order");

        StepVerifier.create(filter(Verification.ALWAYS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.NONE), refused()))
                .expectErrorMatches(error -> error == ALREADY_EXISTS)
                .verify(TIMEOUT);
        assertThat(queried).hasSize(1);
    }

    @Test
    void otherFailuresAndSuccessesPassUntouched() {
        UpstreamFailure unavailable =
                new UpstreamFailure(new UpstreamOutcome.Answered(500, "SYSTEM_ERROR", "busy", "W-2", null));

        StepVerifier.create(filter(Verification.ALWAYS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.UNKNOWN), e -> Mono.error(unavailable)))
                .expectErrorMatches(error -> error == unavailable)
                .verify(TIMEOUT);
        StepVerifier.create(filter(Verification.ALWAYS)
                        .filter(exchange(RedemptionTest.SEED, AttemptHistory.UNKNOWN), e -> Mono.empty()))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(queried).isEmpty();
    }
}
