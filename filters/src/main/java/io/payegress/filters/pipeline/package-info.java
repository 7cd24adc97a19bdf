/**
 * The pipeline's order, declared once in {@code PipelineStage}, and the per-request state its stages share
 * ({@code PaymentExchange}), including the departure rule the budget hands to the forward stage.
 *
 * <p>Documentation: {@code docs/pipeline.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.pipeline;

import org.jspecify.annotations.NullMarked;
