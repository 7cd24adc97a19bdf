/** Web concerns outside the routes: errors for requests no route serves. */
@NullMarked
package io.payegress.gateway.web;

import org.jspecify.annotations.NullMarked;
