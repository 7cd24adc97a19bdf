/**
 * Outbound request signing for WeChat Pay API v3: merchant credentials, their PEM sources, the
 * {@code WECHATPAY2-SHA256-RSA2048} Authorization header, and the bound on the work queued for the signing threads.
 * Plain Java apart from the filter and its factory; sign off the event loop.
 */
@NullMarked
package io.payegress.filters.signing;

import org.jspecify.annotations.NullMarked;
