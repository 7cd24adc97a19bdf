/**
 * The error normalization stage ({@code ErrorNormalization} in YAML) and the error model every stage raises: the
 * gateway's rejections and WeChat's failures, the merchant codes, the per-route mapping table with the built-in
 * coupons/use table, the envelope template and the clerk sentences that render them in the merchant's schema, and
 * answers prepared once for a failure many requests get ({@code PreparedAnswer}).
 *
 * <p>Documentation: {@code docs/stages/error-normalization.md}, {@code docs/errors.md} (paths from the repository
 * root).
 */
@NullMarked
package io.payegress.filters.error;

import org.jspecify.annotations.NullMarked;
