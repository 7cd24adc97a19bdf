/**
 * Tenants from configuration: {@code payegress.tenants} bound and validated, and the tenant directory the pipeline
 * reads.
 *
 * <p>Documentation: {@code docs/configuration.md}, {@code docs/stages/authentication.md} (paths from the repository
 * root).
 */
@NullMarked
package io.payegress.gateway.tenants;

import org.jspecify.annotations.NullMarked;
