package io.payegress.simulator;

import io.payegress.simulator.signing.ResponseSigner;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reuses one signature (timestamp, nonce) for identical error bodies within the same second, so a flood of 429
 * FREQUENCY_LIMITED answers costs one RSA signature per second instead of one per call. Success bodies are unique
 * and never cached.
 */
final class ErrorSignatureCache {

    private static final int MAX_ENTRIES = 256;

    private final ResponseSigner signer;
    private final Map<String, ReplyWriter.Signed> cache = new ConcurrentHashMap<>();

    ErrorSignatureCache(ResponseSigner signer) {
        this.signer = signer;
    }

    ReplyWriter.Signed get(long timestamp, byte[] body) {
        String key = new String(body, StandardCharsets.UTF_8);
        ReplyWriter.Signed cached = cache.get(key);
        if (cached != null && cached.timestamp() == timestamp) {
            return cached;
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        String nonce = signer.nonce();
        ReplyWriter.Signed fresh = new ReplyWriter.Signed(timestamp, nonce, signer.sign(timestamp, nonce, body));
        cache.put(key, fresh);
        return fresh;
    }
}
