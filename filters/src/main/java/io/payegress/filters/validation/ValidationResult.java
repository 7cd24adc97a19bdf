package io.payegress.filters.validation;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What {@link PayloadValidator#validate} decided: the parsed body, or every problem found with it. */
public sealed interface ValidationResult {

    /** The body passed: its parsed tree (read-only by convention) and the route's idempotency key, if it has one. */
    record Accepted(JsonNode body, Optional<String> idempotencyKey) implements ValidationResult {}

    /**
     * The body was refused with {@code code} (VALIDATION_FAILED or FORBIDDEN), listing every problem found;
     * {@code reason} is the first one's, for the metric.
     */
    record Rejected(GatewayCode code, List<FieldError> errors, RejectionReason reason) implements ValidationResult {

        public Rejected {
            errors = List.copyOf(errors);
        }

        /** The failure the error-normalization stage renders. */
        public GatewayRejection toRejection() {
            String detail = code == GatewayCode.FORBIDDEN
                    ? "This store may not use the appid or stock in the request"
                    : "The request body has " + errors.size() + (errors.size() == 1 ? " problem" : " problems");
            return new GatewayRejection(code, detail, errors, null);
        }
    }
}
