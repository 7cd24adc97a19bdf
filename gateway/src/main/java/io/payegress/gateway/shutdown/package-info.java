/**
 * The replica's shutdown, in the order SIGTERM runs it (docs/rolling-restart.md): readiness down, the web server's
 * graceful drain, then {@link io.payegress.gateway.shutdown.RequestDrain} cuts off what still runs (a retryable
 * answer, its use_request_no released), the web server stops, then
 * {@link io.payegress.gateway.shutdown.SharedStateShutdown} lets the last dedupe releases land and stops the budget's
 * timers before the Redis client closes.
 *
 * <p>Documentation: {@code docs/rolling-restart.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.shutdown;

import org.jspecify.annotations.NullMarked;
