/**
 * The forward stage ({@code WeChatPayForward} in YAML): sends the exact signed bytes to WeChat Pay with only the
 * headers WeChat needs, takes the budget's last look on the connection's event loop before writing, verifies a 2xx
 * answer before a byte reaches the POS, and classifies every other ending as an upstream failure.
 *
 * <p>Documentation: {@code docs/stages/forward.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.forward;

import org.jspecify.annotations.NullMarked;
