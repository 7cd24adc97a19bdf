/** Forwarding the exact signed bytes to WeChat Pay, verifying its answer, and writing the answer to the POS. */
@NullMarked
package io.payegress.filters.forward;

import org.jspecify.annotations.NullMarked;
