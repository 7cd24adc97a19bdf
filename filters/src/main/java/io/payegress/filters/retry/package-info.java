/**
 * The retry stage ({@code UpstreamRetry} in YAML): sets the request's deadline and retries transient upstream
 * failures (not reached, no answer, 5xx, SYSTEM_ERROR) with the same body, each attempt signed afresh and passing
 * the budget again.
 *
 * <p>Documentation: {@code docs/stages/retry.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.retry;

import org.jspecify.annotations.NullMarked;
