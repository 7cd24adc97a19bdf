/**
 * The pipeline's order, the per-request state its stages share, and the replica's {@link
 * io.payegress.filters.pipeline.Drain} they obey on shutdown (docs/rolling-restart.md).
 */
@NullMarked
package io.payegress.filters.pipeline;

import org.jspecify.annotations.NullMarked;
