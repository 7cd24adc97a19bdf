/**
 * The replica's warm-up before it reports ready ({@link io.payegress.gateway.warmup.WarmUp}): its hot code paths run
 * on loopback and in-process, with no call to WeChat Pay and no shared state touched, so that the first requests meet
 * compiled code rather than the interpreter.
 *
 * <p>Documentation: {@code docs/operations.md} (paths from the repository root).
 */
@NullMarked
package io.payegress.gateway.warmup;

import org.jspecify.annotations.NullMarked;
