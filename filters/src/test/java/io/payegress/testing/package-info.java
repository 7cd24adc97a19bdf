/** Test fixtures shared by every module's tests: real Redis servers and clusters, never mocks. */
@NullMarked
package io.payegress.testing;

import org.jspecify.annotations.NullMarked;
