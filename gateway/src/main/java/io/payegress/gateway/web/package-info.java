/**
 * Web concerns outside the routes: errors of requests no route serves (unknown path, wrong method) rendered in the
 * merchant's error schema.
 *
 * <p>Documentation: {@code docs/errors.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.web;

import org.jspecify.annotations.NullMarked;
