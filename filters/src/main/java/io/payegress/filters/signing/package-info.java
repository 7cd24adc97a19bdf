/**
 * Outbound request signing for WeChat Pay API v3: merchant credentials, their PEM sources, and the
 * {@code WECHATPAY2-SHA256-RSA2048} Authorization header. Plain Java; call off the event loop.
 */
@NullMarked
package io.payegress.filters.signing;

import org.jspecify.annotations.NullMarked;
