/** WeChat Pay v3 signing rules, implemented independently of the gateway: request verification, response signing, keys. */
@org.jspecify.annotations.NullMarked
package io.payegress.simulator.signing;
