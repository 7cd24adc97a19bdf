package io.payegress.filters.idempotency;

import io.payegress.filters.error.PaymentFailure;
import java.time.Instant;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Finds, after the POS was answered, the final outcome of a request whose attempts may have redeemed the coupon
 * without WeChat Pay saying so (its outcome is unknown). Meanwhile the dedupe stage keeps the claim, so the POS's
 * resend of the number waits for the finding instead of redeeming again; what is found is stored as the number's
 * answer, and when nothing is, the claim is released and the resend goes to WeChat Pay itself.
 */
public interface LateOutcomes {

    /** Finds nothing: every unknown outcome releases its claim at once. */
    LateOutcomes NONE = (exchange, failure, until) -> Optional.empty();

    /**
     * Takes the request ended by {@code failure}, or declines it (empty: nothing to find, or no capacity left; the claim
     * is released at once). The Mono emits the final answer to store, or completes empty when none was found by
     * {@code until}, when the claim must be released.
     */
    Optional<Mono<Resolution>> resolve(ServerWebExchange exchange, PaymentFailure failure, Instant until);

    /** A final answer found late: a success to store as it is, or a final failure to render and store. */
    sealed interface Resolution {

        /** The redemption happened: the answer the POS would have had from WeChat Pay. */
        record Succeeded(StoredResponse response) implements Resolution {}

        /** The redemption cannot happen (e.g. another order used the coupon): a final failure. */
        record Failed(PaymentFailure failure) implements Resolution {}
    }
}
