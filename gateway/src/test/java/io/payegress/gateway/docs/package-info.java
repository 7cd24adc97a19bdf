/**
 * Tests that keep the documentation true: every bound {@code payegress.*} property in the configuration reference
 * with its default, every docs page reachable from the README, every link and anchor resolving, and every package
 * pointing at its page.
 */
@NullMarked
package io.payegress.gateway.docs;

import org.jspecify.annotations.NullMarked;
