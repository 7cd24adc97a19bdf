package io.payegress.filters.door;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.auth.ApiKeyAuthenticator;
import io.payegress.filters.budget.BudgetLimiter;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.budget.BudgetSettings;
import io.payegress.filters.budget.LocalBudgetStore;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class FrontDoorTest {

    private static final String PATH = "/v3/marketing/busifavor/coupons/use";
    private static final Tenant NOISY = tenant("noisy", "noisy-key");
    private static final Tenant QUIET = tenant("quiet", "quiet-key");
    private static final DoorRoute ROUTE =
            new DoorRoute(HttpMethod.POST, PATH, "busifavor-coupons-use", "https://wechat", "coupons-use");

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Clock clock = new VirtualClock(time);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BudgetSettings settings = BudgetSettings.defaults("coupons-use", 2);
    private final BudgetLimiters limiters = new BudgetLimiters(
            s -> new LocalBudgetStore(s, s.limit(), 1, Duration.ZERO, () -> time.now(TimeUnit.NANOSECONDS)),
            meters,
            "r1",
            () -> time.now(TimeUnit.NANOSECONDS),
            clock,
            time);
    private final Responder responder = new Responder();
    private final FrontDoor door = door(List.of(ROUTE));
    private final AtomicInteger passed = new AtomicInteger();
    private final HttpHandler route = (request, response) -> {
        passed.incrementAndGet();
        return Mono.empty();
    };

    @AfterEach
    void close() {
        limiters.close();
    }

    private static Tenant tenant(String id, String apiKey) {
        return new Tenant(
                new TenantId(id),
                List.of(ApiKeyAuthenticator.sha256(apiKey)),
                Set.of(),
                Map.of(),
                1,
                OptionalInt.empty(),
                false);
    }

    private static MockServerHttpRequest.BodyBuilder post(String path) {
        return MockServerHttpRequest.post(path).header("X-Request-Id", "pos-42");
    }

    private MockServerHttpResponse handle(MockServerHttpRequest request) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        door.decorate(route).handle(request, response).block(Duration.ofSeconds(5));
        return response;
    }

    /** 1.5 s of the noisy tenant asking twice as often as the budget grants: saturated for longer than a second. */
    private void saturate() {
        BudgetLimiter limiter = limiters.limiter(settings);
        for (int i = 0; i < 30; i++) {
            limiter.acquire("coupons-use", NOISY, null).subscribe(permit -> {}, error -> {});
            limiter.acquire("coupons-use", NOISY, null).subscribe(permit -> {}, error -> {});
            time.advanceTimeBy(Duration.ofMillis(50));
        }
    }

    private double shed(String tenant) {
        var counter = meters.find("payegress.budget.decisions")
                .tags("tenant", tenant, "outcome", "shed")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** A door over these routes, for the tenants, limiters and meters above. */
    private FrontDoor door(List<DoorRoute> routes) {
        return new FrontDoor(
                routes,
                List.of(NOISY, QUIET),
                limiters,
                responder,
                new RequestsMetric(meters, "spring.cloud.gateway.requests", Map.of("application", "payegress")));
    }

    @Test
    void refusesWhatTheRoutesAdmissionWouldWithItsRefusalInTheMerchantsSchemaAndCountsItAsShed() {
        saturate();
        assertThat(limiters.limiter(settings).admissible(NOISY)).isFalse();

        MockServerHttpResponse response =
                handle(post(PATH).header("Authorization", "Bearer noisy-key").body("{}"));

        assertThat(passed).as("nothing of the route ran").hasValue(0);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(response.getHeaders().getFirst("X-Request-Id")).isEqualTo("pos-42");
        assertThat(responder.written).singleElement().satisfies(written -> {
            assertThat(written.route()).isEqualTo("busifavor-coupons-use");
            assertThat(written.requestId()).isEqualTo("pos-42");
            assertThat(written.failure()).isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
                assertThat(rejection.code()).isEqualTo(GatewayCode.RATE_LIMITED);
                assertThat(rejection.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            });
        });
        assertThat(shed("noisy")).isEqualTo(1);
        assertThat(meters.get("spring.cloud.gateway.requests")
                        .tags(
                                "outcome", "CLIENT_ERROR",
                                "status", "TOO_MANY_REQUESTS",
                                "httpStatusCode", "429",
                                "httpMethod", "POST",
                                "routeId", "busifavor-coupons-use",
                                "routeUri", "https://wechat",
                                "application", "payegress")
                        .timer()
                        .count())
                .as("recorded as the gateway's metrics filter records an answer of the route")
                .isEqualTo(1);
    }

    @Test
    void passesARequestTheAdmissionWouldAdmitOnToItsRouteCountingNothing() {
        saturate();
        DoorRoute unasked = new DoorRoute(HttpMethod.POST, "/v3/other", "other", "https://wechat", "not-asked-yet");
        FrontDoor door = door(List.of(ROUTE, unasked));
        MockServerHttpRequest quiet =
                post(PATH).header("Authorization", "Bearer quiet-key").body("{}");
        MockServerHttpRequest noisyElsewhere =
                post("/v3/other").header("Authorization", "Bearer noisy-key").body("{}");

        door.decorate(route).handle(quiet, new MockServerHttpResponse()).block(Duration.ofSeconds(5));
        door.decorate(route)
                .handle(noisyElsewhere, new MockServerHttpResponse())
                .block(Duration.ofSeconds(5));

        assertThat(passed)
                .as("a tenant within its share, and a route whose budget was never asked (no limiter yet)")
                .hasValue(2);
        assertThat(responder.written).isEmpty();
        assertThat(shed("quiet")).isZero();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void passesEveryRequestWhileTheBudgetShedsNobody() {
        BudgetLimiter limiter = limiters.limiter(settings);
        assertThat(limiter.mayShed()).as("never saturated").isFalse();

        handle(post(PATH).header("Authorization", "Bearer noisy-key").body("{}"));

        saturate();
        assertThat(limiter.mayShed()).isTrue();
        assertThat(passed).hasValue(1);
        assertThat(responder.written).isEmpty();
        assertThat(shed("noisy")).isZero();
    }

    @Test
    void leavesEveryRequestAnEarlierStageWouldRefuseOrThatIsNotItsRouteToTheRoutes() {
        saturate();

        handle(post(PATH).body("{}")); // no API key: the authentication stage's 401
        handle(post(PATH).header("Authorization", "Bearer not-a-key").body("{}"));
        handle(post(PATH).header("Authorization", "Basic noisy-key").body("{}"));
        handle(post(PATH + "/").header("Authorization", "Bearer noisy-key").body("{}"));
        handle(MockServerHttpRequest.get(PATH)
                .header("Authorization", "Bearer noisy-key")
                .build());

        assertThat(passed).hasValue(5);
        assertThat(responder.written).isEmpty();
        assertThat(shed("noisy")).isZero();
    }

    /** What the door asked the merchant's responder to write. */
    private record Written(@Nullable String route, String requestId, PaymentFailure failure) {}

    private static final class Responder implements MerchantErrorResponder {

        final List<Written> written = new ArrayList<>();

        @Override
        public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
            return true;
        }

        @Override
        public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
            throw new AssertionError("the door has no exchange");
        }

        @Override
        public Mono<Void> write(
                ServerHttpRequest request,
                ServerHttpResponse response,
                @Nullable String route,
                String requestId,
                PaymentFailure failure) {
            written.add(new Written(route, requestId, failure));
            response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
            return response.setComplete();
        }
    }

    /** The virtual scheduler's time as a clock. */
    private static final class VirtualClock extends Clock {

        private final VirtualTimeScheduler time;

        VirtualClock(VirtualTimeScheduler time) {
            this.time = time;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
        }
    }
}
