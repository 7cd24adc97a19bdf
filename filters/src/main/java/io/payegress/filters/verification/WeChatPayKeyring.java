package io.payegress.filters.verification;

import io.payegress.filters.signing.RsaSignatures;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The WeChat Pay public keys the gateway trusts, by Wechatpay-Serial ({@code PUB_KEY_ID_...} or a platform
 * certificate serial); several at once for rotation and for the certificate to public-key migration.
 */
public final class WeChatPayKeyring {

    private final Map<String, PublicKey> keysBySerial;

    public WeChatPayKeyring(Map<String, PublicKey> keysBySerial) {
        if (keysBySerial.isEmpty()) {
            throw new IllegalArgumentException("the WeChat Pay keyring needs at least one public key");
        }
        keysBySerial.forEach((serial, key) -> {
            if (serial.isBlank()) {
                throw new IllegalArgumentException("a WeChat Pay public key has a blank serial");
            }
            if (!"RSA".equals(key.getAlgorithm())) {
                throw new IllegalArgumentException(
                        "WeChat Pay key " + serial + " must be RSA, got " + key.getAlgorithm());
            }
        });
        Map<String, PublicKey> prepared = new HashMap<>();
        keysBySerial.forEach((serial, key) -> prepared.put(serial, RsaSignatures.prepared(key)));
        this.keysBySerial = Map.copyOf(prepared);
    }

    public Optional<PublicKey> find(String serial) {
        return Optional.ofNullable(keysBySerial.get(serial));
    }

    public Set<String> serials() {
        return keysBySerial.keySet();
    }

    @Override
    public String toString() {
        return "WeChatPayKeyring" + serials();
    }
}
