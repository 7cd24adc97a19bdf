/** The pipeline's order and the per-request state its stages share. */
@NullMarked
package io.payegress.filters.pipeline;

import org.jspecify.annotations.NullMarked;
