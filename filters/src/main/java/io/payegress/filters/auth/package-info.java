/** Tenant authentication by bearer API key, compared as SHA-256 hashes in constant time. */
@NullMarked
package io.payegress.filters.auth;

import org.jspecify.annotations.NullMarked;
