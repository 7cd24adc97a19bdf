/** Tenants from configuration. */
@NullMarked
package io.payegress.gateway.tenants;

import org.jspecify.annotations.NullMarked;
