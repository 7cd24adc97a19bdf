/**
 * The validation stage ({@code PayloadValidation} in YAML): each route's body is checked against its JSON Schema
 * (draft 2020-12) and against the rules a schema cannot state (strict JSON, no nulls, no 4-byte UTF-8, tenant
 * grants), every problem listed at once, before anything is sent upstream.
 *
 * <p>Documentation: {@code docs/stages/validation.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.validation;

import org.jspecify.annotations.NullMarked;
