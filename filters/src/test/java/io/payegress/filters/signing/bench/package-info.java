/** JMH benchmarks of request signing and response verification. */
@NullMarked
package io.payegress.filters.signing.bench;

import org.jspecify.annotations.NullMarked;
