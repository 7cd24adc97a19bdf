/** Retrying transient upstream failures with the same body, inside the request's deadline. */
@NullMarked
package io.payegress.filters.retry;

import org.jspecify.annotations.NullMarked;
