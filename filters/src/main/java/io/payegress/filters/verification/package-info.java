/**
 * Verification of WeChat Pay API v3 answers, used by the forward stage: the trusted public keys by Wechatpay-Serial
 * and the signature and freshness check over the raw response body. Plain Java.
 *
 * <p>Documentation: {@code docs/stages/forward.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.verification;

import org.jspecify.annotations.NullMarked;
