package io.payegress.filters.reconciliation;

import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.RequestSigner;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Signs a coupon query ({@code GET}, empty body) with the merchant key, as every v3 call: on the signing scheduler,
 * never on an event loop (an RSA signature costs about 0.65 ms, and the key source may touch the file system).
 */
public final class QuerySigning {

    private static final byte[] EMPTY = new byte[0];

    private final MerchantKeySource keys;
    private final RequestSigner signer;
    private final Scheduler scheduler;

    public QuerySigning(MerchantKeySource keys, RequestSigner signer, Scheduler scheduler) {
        this.keys = keys;
        this.signer = signer;
        this.scheduler = scheduler;
    }

    /** The Authorization header value for a GET of {@code canonicalUrl} (raw path, no query string). */
    Mono<String> authorization(String canonicalUrl) {
        return Mono.fromCallable(() -> signer.authorization(keys.current(), "GET", canonicalUrl, EMPTY))
                .subscribeOn(scheduler);
    }
}
