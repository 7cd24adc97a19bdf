/** A WeChat Pay API v3 simulator: embedded library and standalone app, independent of the gateway's code. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator;
