/** The payegress Spring Boot application: wiring, configuration, tenants and routes. */
@NullMarked
package io.payegress.gateway;

import org.jspecify.annotations.NullMarked;
