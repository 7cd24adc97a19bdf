/** Application settings and the wiring of the payment pipeline. */
@NullMarked
package io.payegress.gateway.config;

import org.jspecify.annotations.NullMarked;
