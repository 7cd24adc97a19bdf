package io.payegress.gateway.warmup;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payegress.warmup.*}: how much of its hot code a starting replica runs before it reports ready.
 *
 * @param rounds how many warm-up rounds run (8 at a time); 0 turns the warm-up off. Default 2,000: more than the
 *     invocations after which the JIT compiles a method (200 under C1, as the image runs)
 * @param maxDuration the longest the warm-up may hold readiness back; what is not done by then is left undone
 */
@Validated
@ConfigurationProperties("payegress.warmup")
public record WarmUpProperties(
        @DefaultValue("2000") @Min(0) int rounds,
        @DefaultValue("30s") Duration maxDuration) {}
