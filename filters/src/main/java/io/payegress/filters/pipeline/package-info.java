/**
 * The pipeline's order, declared once in {@code PipelineStage}, the per-request state its stages share
 * ({@code PaymentExchange}), including the departure rule the budget hands to the forward stage, and the replica's
 * {@link io.payegress.filters.pipeline.Drain} they obey on shutdown (docs/rolling-restart.md), and the request path's
 * timeouts ({@code Timeouts}).
 *
 * <p>Documentation: {@code docs/pipeline.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.pipeline;

import org.jspecify.annotations.NullMarked;
