/** The failures stages raise and the codes the merchant sees. */
@NullMarked
package io.payegress.filters.error;

import org.jspecify.annotations.NullMarked;
