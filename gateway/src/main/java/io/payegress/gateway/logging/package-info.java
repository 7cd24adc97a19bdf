/**
 * How the replica's log lines reach the console ({@link io.payegress.gateway.logging.BatchedConsole}): gathered into
 * few writes, so that the access line every request gets costs no system call of its own on the event loop.
 *
 * <p>Documentation: {@code docs/observability.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.logging;

import org.jspecify.annotations.NullMarked;
