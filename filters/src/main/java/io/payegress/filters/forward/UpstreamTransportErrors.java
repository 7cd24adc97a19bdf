package io.payegress.filters.forward;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Classifies transport errors: those where the request cannot have reached WeChat (safe to send again) and those
 * where it may have (the outcome is unknown; only the same use_request_no may be sent again).
 */
final class UpstreamTransportErrors {

    private UpstreamTransportErrors() {}

    static UpstreamFailure classify(Throwable error) {
        if (error instanceof UpstreamFailure failure) {
            return failure;
        }
        if (error instanceof ConnectException
                || error instanceof ConnectTimeoutException
                || error instanceof UnknownHostException
                || error instanceof NoRouteToHostException
                || error.getClass().getSimpleName().equals("PoolAcquireTimeoutException")) {
            return new UpstreamFailure(
                    new UpstreamOutcome.Unreachable(error.getClass().getSimpleName()));
        }
        if (error instanceof ReadTimeoutException) {
            return new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown("response timeout"));
        }
        if (error instanceof PrematureCloseException) {
            return new UpstreamFailure(new UpstreamOutcome.OutcomeUnknown("connection closed before the answer"));
        }
        return new UpstreamFailure(
                new UpstreamOutcome.OutcomeUnknown(error.getClass().getSimpleName()));
    }
}
