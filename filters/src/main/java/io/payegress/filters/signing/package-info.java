/**
 * The signing stage ({@code WeChatPaySign} in YAML): outbound request signing for WeChat Pay API v3, with the
 * merchant credentials and their PEM sources (re-read on rotation), the {@code WECHATPAY2-SHA256-RSA2048}
 * Authorization header, the RSA provider choice, and the bound on the work queued for the signing threads. Plain
 * Java apart from the filter and its factory; signs off the event loop.
 *
 * <p>Documentation: {@code docs/stages/signing.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.signing;

import org.jspecify.annotations.NullMarked;
