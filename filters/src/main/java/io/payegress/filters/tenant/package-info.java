/** Tenants: the stores that call the gateway, their keys and their grants. */
@NullMarked
package io.payegress.filters.tenant;

import org.jspecify.annotations.NullMarked;
