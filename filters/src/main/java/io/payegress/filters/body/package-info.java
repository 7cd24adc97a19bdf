/**
 * The request-body stage ({@code RequestBody} in YAML): requires UTF-8 JSON and reads the body once into the one
 * array every later stage shares and the forward stage sends, under a byte cap that holds for chunked bodies too
 * (415, 413).
 *
 * <p>Documentation: {@code docs/stages/request-body.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.body;

import org.jspecify.annotations.NullMarked;
