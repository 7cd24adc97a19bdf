/**
 * The authentication stage ({@code Authenticate} in YAML): the bearer API key is hashed with SHA-256 and compared
 * in constant time with every configured hash of every tenant ({@code ApiKeyAuthenticator}, plain Java); a caller
 * without a known key gets 401 UNAUTHENTICATED before any other stage runs.
 *
 * <p>Documentation: {@code docs/stages/authentication.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.auth;

import org.jspecify.annotations.NullMarked;
