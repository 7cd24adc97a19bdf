/**
 * Payload validation: each route's body is checked against its JSON Schema (draft 2020-12) and against the rules a
 * schema cannot state (tenant grants, no nulls, no 4-byte UTF-8, strict JSON), before anything is sent upstream.
 */
@NullMarked
package io.payegress.filters.validation;

import org.jspecify.annotations.NullMarked;
