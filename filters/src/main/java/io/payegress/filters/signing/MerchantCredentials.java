package io.payegress.filters.signing;

import java.security.PrivateKey;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Merchant identity used to sign: mchid, merchant API certificate serial (upper-case hex), private key. The
 * identifiers are checked so they cannot break the Authorization header; {@link #toString()} never prints the key.
 * The key is held in the signing provider's own form ({@link RsaSignatures#prepared(PrivateKey)}), converted once.
 */
public record MerchantCredentials(String merchantId, String serialNo, PrivateKey privateKey) {

    private static final Pattern MERCHANT_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final Pattern SERIAL = Pattern.compile("[0-9A-F]{1,64}");

    public MerchantCredentials {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(serialNo, "serialNo");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!MERCHANT_ID.matcher(merchantId).matches()) {
            throw new IllegalArgumentException(
                    "merchantId must be 1-64 characters of [0-9A-Za-z_-], got '" + merchantId + "'");
        }
        if (!SERIAL.matcher(serialNo).matches()) {
            throw new IllegalArgumentException("serialNo must be upper-case hex, got '" + serialNo + "'");
        }
        if (!"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("merchant private key must be RSA, got " + privateKey.getAlgorithm());
        }
        privateKey = RsaSignatures.prepared(privateKey);
    }

    @Override
    public String toString() {
        return "MerchantCredentials[merchantId=" + merchantId + ", serialNo=" + serialNo + ", privateKey=<redacted>]";
    }
}
