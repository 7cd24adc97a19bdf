package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.pipeline.PipelineStage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The signing backlog's rule applied at the door, before the body is read, validated or deduped. */
class SigningAdmissionTest {

    private final AtomicLong nanos = new AtomicLong(42_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SigningBacklog backlog =
            new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 1_000), nanos::get, clock, 1);
    private final AtomicInteger passed = new AtomicInteger();
    private final GatewayFilterChain chain = exchange -> {
        passed.incrementAndGet();
        return Mono.empty();
    };

    private GatewayFilter door() {
        return door(backlog);
    }

    private GatewayFilter door(SigningBacklog doorsBacklog) {
        SigningAdmissionGatewayFilterFactory.Config config = new SigningAdmissionGatewayFilterFactory.Config();
        config.setDeadline(Duration.ofSeconds(8));
        return new SigningAdmissionGatewayFilterFactory(doorsBacklog, meters, clock).apply(config);
    }

    private double shed(String reason) {
        return meters.get(SigningMetrics.SHED).tag("reason", reason).counter().count();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/v3/marketing/busifavor/coupons/use"));
    }

    /**
     * Requests that waited {@code waited} for a signing thread and drain one every {@code pace}, with
     * {@code stillPending} left pending.
     */
    private void backlogDraining(Duration waited, Duration pace, int stillPending) {
        SigningBacklog.Place first = backlog.arrive(null);
        SigningBacklog.Place second = backlog.arrive(null);
        for (int i = 0; i < stillPending; i++) {
            backlog.arrive(null);
        }
        advance(waited);
        first.start();
        first.leave();
        advance(pace);
        second.start();
        second.leave();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        clock.advance(duration);
    }

    @Test
    void passesEveryRequestWhileTheBacklogKeepsUp() {
        backlogDraining(Duration.ofMillis(2), Duration.ofMillis(2), 10);

        StepVerifier.create(door().filter(exchange(), chain)).verifyComplete();

        assertThat(passed).hasValue(1);
        assertThat(shed("behind")).isZero();
    }

    @Test
    void refusesAtOnceARequestTheBacklogCouldNotSignBeforeItsDeadlineAndCountsItAsBehind() {
        // 8 ahead at 1 s each, and the last picked up had waited 7 s and more: its turn would come at its deadline
        backlogDraining(Duration.ofSeconds(7), Duration.ofSeconds(1), 8);

        StepVerifier.create(door().filter(exchange(), chain))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
                            assertThat(rejection.code()).isEqualTo(GatewayCode.SERVICE_UNAVAILABLE);
                            assertThat(rejection.code().retryable()).isTrue();
                            assertThat(rejection.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                        }))
                .verify(Duration.ZERO);

        assertThat(passed).as("not read, validated nor deduped").hasValue(0);
        assertThat(shed("behind")).isEqualTo(1.0);
        assertThat(backlog.pending()).as("it took no place in the backlog").isEqualTo(8);
    }

    @Test
    void refusesAtOnceAsFullWhileMaxPendingPlacesAreTakenAndFreesThePlaceOfARequestThatEndsUnsigned() {
        SigningBacklog onePlace =
                new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 1), nanos::get, clock, 1);
        Sinks.Empty<Void> firstStillOnItsWay = Sinks.empty();
        GatewayFilterChain holding = exchange -> {
            passed.incrementAndGet();
            return firstStillOnItsWay.asMono();
        };
        StepVerifier.Step<Void> first = StepVerifier.create(door(onePlace).filter(exchange(), holding));
        first.then(() -> assertThat(onePlace.pending())
                        .as("reserved at the door")
                        .isEqualTo(1))
                .then(() -> StepVerifier.create(door(onePlace).filter(exchange(), chain))
                        .expectErrorSatisfies(error -> assertThat(error)
                                .isInstanceOfSatisfying(
                                        GatewayRejection.class,
                                        rejection -> assertThat(rejection.code())
                                                .isEqualTo(GatewayCode.SERVICE_UNAVAILABLE)))
                        .verify(Duration.ZERO))
                .then(firstStillOnItsWay::tryEmitEmpty)
                .verifyComplete();

        assertThat(passed).as("only the first was read on").hasValue(1);
        assertThat(shed("full")).isEqualTo(1.0);
        assertThat(onePlace.pending())
                .as("the first ended unsigned: its place is free")
                .isZero();
        StepVerifier.create(door(onePlace).filter(exchange(), chain)).verifyComplete();
    }

    @Test
    void freesThePlaceOfARequestWhoseNextStageFailsBeforeReturningAnAnswer() {
        GatewayFilterChain throwing = exchange -> {
            throw new IllegalStateException("a stage that failed outright");
        };

        StepVerifier.create(door().filter(exchange(), throwing))
                .expectError(IllegalStateException.class)
                .verify(Duration.ZERO);

        assertThat(backlog.pending())
                .as("no place kept by a request that ended")
                .isZero();
    }

    @Test
    void theSigningStageUsesThePlaceReservedAtTheDoor() {
        SigningBacklog onePlace =
                new SigningBacklog(new SigningSettings(Duration.ofSeconds(1), 1), nanos::get, clock, 1);
        GatewayFilterChain signingStage = exchange -> {
            SigningBacklog.Reservation reserved =
                    exchange.getAttribute(SigningAdmissionGatewayFilterFactory.RESERVATION);
            assertThat(reserved).isNotNull();
            SigningBacklog.Place place = reserved.arrive(null);
            assertThat(place)
                    .as("the full backlog still has the request's own place")
                    .isNotNull();
            assertThat(onePlace.pending()).isEqualTo(1);
            place.leave();
            return Mono.empty();
        };

        StepVerifier.create(door(onePlace).filter(exchange(), signingStage)).verifyComplete();

        assertThat(onePlace.pending()).isZero();
    }

    @Test
    void runsAfterTheBudgetAdmissionBeforeTheBodyIsRead() {
        assertThat(((Ordered) door()).getOrder()).isEqualTo(PipelineStage.SIGNING_ADMISSION.order());
        assertThat(PipelineStage.SIGNING_ADMISSION.order())
                .isGreaterThan(PipelineStage.ADMISSION.order())
                .isLessThan(PipelineStage.REQUEST_BODY.order());
    }
}
