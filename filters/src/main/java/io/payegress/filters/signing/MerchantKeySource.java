package io.payegress.filters.signing;

/**
 * Source of the current merchant signing credentials. Implementations may touch the file system, so call
 * {@link #current()} off the event loop.
 */
public interface MerchantKeySource {

    /** The credentials to sign the next request with; never null. */
    MerchantCredentials current();
}
