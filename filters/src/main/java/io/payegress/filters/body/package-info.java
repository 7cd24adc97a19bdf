/** Reading the request body once, under a byte cap that holds for chunked bodies too. */
@NullMarked
package io.payegress.filters.body;

import org.jspecify.annotations.NullMarked;
