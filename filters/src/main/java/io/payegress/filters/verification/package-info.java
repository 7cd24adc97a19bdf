/**
 * Inbound verification of WeChat Pay API v3 responses: the trusted public keys by Wechatpay-Serial and the
 * signature and freshness check over the raw response body. Plain Java.
 */
@NullMarked
package io.payegress.filters.verification;

import org.jspecify.annotations.NullMarked;
