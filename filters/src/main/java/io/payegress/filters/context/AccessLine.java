package io.payegress.filters.context;

import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one access-log line a request gets (logger {@code payegress.access}), as key-value pairs in the event and in its
 * message: never an API key, a private key or a body. Written by the request-context stage, and by the door for a
 * request it refuses before the pipeline runs ({@code io.payegress.filters.door}).
 *
 * @param queuedMs how long the request waited on this host before the request-context stage, or "-"
 * @param stagesMs each later stage reached, in milliseconds after the request-context stage, or "-"
 */
public record AccessLine(
        String requestId,
        String upstreamRequestId,
        String tenant,
        String route,
        String method,
        String path,
        int status,
        String outcome,
        long durationMs,
        String queuedMs,
        String stagesMs) {

    private static final Logger access = LoggerFactory.getLogger("payegress.access");

    /** Logs the line at INFO. */
    public void write() {
        LoggingEventBuilder event = access.atInfo();
        StringBuilder message = new StringBuilder("request");
        field(event, message, "request_id", requestId);
        field(event, message, "upstream_request_id", upstreamRequestId);
        field(event, message, "tenant", tenant);
        field(event, message, "route", route);
        field(event, message, "method", method);
        field(event, message, "path", path);
        field(event, message, "status", status);
        field(event, message, "outcome", outcome);
        field(event, message, "duration_ms", durationMs);
        field(event, message, "queued_ms", queuedMs);
        field(event, message, "stages_ms", stagesMs);
        event.log(message.toString());
    }

    private static void field(LoggingEventBuilder event, StringBuilder message, String key, Object value) {
        event.addKeyValue(key, value);
        message.append(' ').append(key).append('=').append(value);
    }

    /** The outcome field of a request that failed: the gateway's code, or what became of its upstream call. */
    public static String outcome(PaymentFailure failure) {
        if (failure instanceof GatewayRejection rejection) {
            return rejection.code().name();
        }
        UpstreamOutcome outcome = ((UpstreamFailure) failure).outcome();
        if (outcome instanceof UpstreamOutcome.Answered answered) {
            return "upstream_" + answered.status() + "_" + answered.code();
        }
        if (outcome instanceof UpstreamOutcome.SignatureInvalid) {
            return "upstream_signature_invalid";
        }
        return outcome instanceof UpstreamOutcome.Unreachable ? "upstream_unreachable" : "upstream_outcome_unknown";
    }
}
