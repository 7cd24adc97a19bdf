/**
 * Application settings ({@code payegress.wechatpay}, {@code payegress.signing}, {@code payegress.errors}) and the
 * wiring of the payment pipeline: the filter factories, the merchant and WeChat Pay keys, the signing scheduler and
 * its bound, and the merchant's error schema, checked at start-up.
 *
 * <p>Documentation: {@code docs/configuration.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.config;

import org.jspecify.annotations.NullMarked;
