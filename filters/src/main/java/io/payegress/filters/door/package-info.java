/**
 * The door: a request its route's admission would refuse at once is refused on its connection, below the web
 * framework, before an exchange, a route lookup or a filter chain is made for it; every other request goes on to its
 * route's stages unchanged.
 *
 * <p>Documentation: {@code docs/stages/budget.md}, section "The door" (paths from the repository root).
 */
@NullMarked
package io.payegress.filters.door;

import org.jspecify.annotations.NullMarked;
