/**
 * Tenants: the stores that call the gateway, with their API key hashes, their grants (appids, stocks and code
 * modes) and their budget weight and cap; the {@code TenantDirectory} port the application fills from
 * configuration.
 *
 * <p>Documentation: {@code docs/stages/authentication.md}, {@code docs/configuration.md} (paths from the repository
 * root).
 */
@NullMarked
package io.payegress.filters.tenant;

import org.jspecify.annotations.NullMarked;
