/**
 * The request-context stage ({@code RequestContext} in YAML): the request id, taken from a sane {@code X-Request-
 * Id} or generated, echoed on every response, and the one access-log line per request (logger
 * {@code payegress.access}).
 *
 * <p>Documentation: {@code docs/stages/request-context.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.context;

import org.jspecify.annotations.NullMarked;
