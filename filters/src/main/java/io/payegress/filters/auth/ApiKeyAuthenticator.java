package io.payegress.filters.auth;

import io.payegress.filters.tenant.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant whose configured SHA-256 key hash matches a presented API key. Every configured hash is compared
 * in constant time, whatever matches first, so timing tells nothing about which tenant or how many bytes matched.
 */
public final class ApiKeyAuthenticator {

    /**
     * Cloned for each key: a clone costs a copy of the digest's state, {@code MessageDigest.getInstance} a lookup in
     * the security providers (1.4% of a replica's event loops when it sheds most requests at once; profiled in
     * docs/benchmarks.md, session 28).
     */
    private static final MessageDigest SHA_256 = newSha256();

    private static final String BEARER = "Bearer ";

    private final List<Tenant> tenants;

    public ApiKeyAuthenticator(Collection<Tenant> tenants) {
        this.tenants = List.copyOf(tenants);
    }

    public Optional<Tenant> authenticate(String apiKey) {
        byte[] presented = sha256(apiKey);
        Tenant found = null;
        for (Tenant tenant : tenants) {
            for (byte[] hash : tenant.apiKeyHashes()) {
                if (MessageDigest.isEqual(presented, hash) && found == null) {
                    found = tenant;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The API key of an {@code Authorization: Bearer <api-key>} header; null when the header holds none. */
    public static @Nullable String bearerToken(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    public static byte[] sha256(String apiKey) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = newSha256();
        }
        return digest.digest(apiKey.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
