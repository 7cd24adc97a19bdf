package io.payegress.simulator.signing;

import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Thread-safe registry of merchant API public keys: mchid to serial to key, several serials per merchant (rotation). */
public final class MerchantKeys {

    private final Map<String, Map<String, PublicKey>> keys = new ConcurrentHashMap<>();

    /** Adds (or replaces) the key a merchant signs with under the given certificate serial. */
    public void add(String mchid, String serialNo, PublicKey key) {
        keys.computeIfAbsent(mchid, id -> new ConcurrentHashMap<>()).put(serialNo, key);
    }

    /** Adds every key of a mchid to serial to key map. */
    public void addAll(Map<String, Map<String, PublicKey>> merchants) {
        merchants.forEach((mchid, serials) -> serials.forEach((serial, key) -> add(mchid, serial, key)));
    }

    public boolean knowsMerchant(String mchid) {
        return keys.containsKey(mchid);
    }

    public Optional<PublicKey> find(String mchid, String serialNo) {
        Map<String, PublicKey> serials = keys.get(mchid);
        return serials == null ? Optional.empty() : Optional.ofNullable(serials.get(serialNo));
    }

    public void clear() {
        keys.clear();
    }
}
