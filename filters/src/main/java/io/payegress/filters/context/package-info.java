/** Request context: the request id, echoed and logged, and the one access-log line per request. */
@NullMarked
package io.payegress.filters.context;

import org.jspecify.annotations.NullMarked;
