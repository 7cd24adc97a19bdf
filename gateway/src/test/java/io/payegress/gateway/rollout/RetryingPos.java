package io.payegress.gateway.rollout;

import io.payegress.gateway.idempotency.Pos;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * A POS that redeems through the {@link ReplicaService} and does what the gateway's answers ask of it: after an answer
 * marked {@code retryable}, or a connection that broke before any answer, it sends the same body (same
 * {@code use_request_no}) again, to whichever replica the Service picks, at most {@link #MAX_ATTEMPTS} times with
 * backoff. Anything else that is not a 200 is a failure it cannot retry; an attempt without an answer within
 * {@link #ATTEMPT_TIMEOUT} is a redemption left unanswered. It counts what it saw.
 */
final class RetryingPos {

    static final int MAX_ATTEMPTS = 6;
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(800);

    private final ReplicaService service;
    final LongAdder requests = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder retryableAnswers = new LongAdder();
    final LongAdder brokenConnections = new LongAdder();
    final LongAdder noReadyReplica = new LongAdder();
    final LongAdder unanswered = new LongAdder();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> retryableByCode = new ConcurrentHashMap<>();

    RetryingPos(ReplicaService service) {
        this.service = service;
    }

    /** Redeems one coupon; completes when it succeeded or failed for good (never errors). */
    Mono<Void> redeem(String body) {
        return Mono.defer(() -> {
            requests.increment();
            return attempt(body, 1);
        });
    }

    /** Retryable answers by merchant code, e.g. {@code {SERVICE_UNAVAILABLE=2}}. */
    Map<String, Long> retryableByCode() {
        Map<String, Long> counts = new TreeMap<>();
        retryableByCode.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    private Mono<Void> attempt(String body, int attempt) {
        return service.pick()
                .map(endpoint -> send(endpoint, body))
                .orElseGet(() -> {
                    noReadyReplica.increment();
                    return Mono.just(Verdict.RETRY);
                })
                .flatMap(verdict -> {
                    if (verdict == Verdict.RETRY && attempt < MAX_ATTEMPTS) {
                        return Mono.delay(backoff(attempt)).then(attempt(body, attempt + 1));
                    }
                    if (verdict == Verdict.RETRY) {
                        failures.add("retries exhausted after " + attempt + " attempts: " + body);
                    }
                    return Mono.empty();
                });
    }

    private Mono<Verdict> send(ReplicaService.Endpoint endpoint, String body) {
        return Mono.defer(() -> {
                    endpoint.inFlight.incrementAndGet();
                    return Pos.send(endpoint.client, body)
                            .timeout(ATTEMPT_TIMEOUT)
                            .doFinally(signal -> endpoint.inFlight.decrementAndGet());
                })
                .map(answer -> {
                    endpoint.answered(answer.status());
                    return judge(answer);
                })
                .onErrorResume(error -> Mono.just(judge(error)));
    }

    private Verdict judge(Pos.Answer answer) {
        if (answer.status() == 200) {
            succeeded.increment();
            return Verdict.DONE;
        }
        boolean retryable = answer.contentType().contains("json")
                && answer.json().path("retryable").asBoolean(false);
        if (retryable) {
            retryableAnswers.increment();
            String code = answer.json().path("code").asString("?");
            retryableByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
            return Verdict.RETRY;
        }
        failures.add("not retryable: " + answer.status() + " " + answer.body());
        return Verdict.DONE;
    }

    private Verdict judge(Throwable error) {
        if (error instanceof TimeoutException) {
            unanswered.increment();
            failures.add("no answer within " + ATTEMPT_TIMEOUT);
            return Verdict.DONE;
        }
        if (error instanceof WebClientRequestException) {
            brokenConnections.increment();
            return Verdict.RETRY;
        }
        failures.add("unexpected: " + error);
        return Verdict.DONE;
    }

    private static Duration backoff(int attempt) {
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    private enum Verdict {
        DONE,
        RETRY
    }
}
