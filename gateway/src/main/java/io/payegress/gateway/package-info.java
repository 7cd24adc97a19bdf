/**
 * The payegress Spring Boot application ({@code PayegressApplication}): wiring, configuration, tenants and shared
 * state in the sub-packages; the routes and their filters are in {@code application.yml}.
 *
 * <p>Documentation: {@code README.md}, {@code docs/configuration.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway;

import org.jspecify.annotations.NullMarked;
