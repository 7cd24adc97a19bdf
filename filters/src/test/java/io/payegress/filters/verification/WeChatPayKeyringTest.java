package io.payegress.filters.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeChatPayKeyringTest {

    @Test
    void findsEachTrustedKeyBySerialAndNothingElse() throws Exception {
        PublicKey first = rsa();
        PublicKey second = rsa();
        assertThat(first).isNotEqualTo(second);
        Map<String, PublicKey> keys = new HashMap<>(Map.of("PUB_KEY_ID_1", first, "5157F09E", second));

        WeChatPayKeyring keyring = new WeChatPayKeyring(keys);
        keys.clear();

        assertThat(keyring.find("PUB_KEY_ID_1")).contains(first);
        assertThat(keyring.find("5157F09E")).contains(second);
        assertThat(keyring.find("pub_key_id_1")).isEmpty();
        assertThat(keyring.serials()).containsExactlyInAnyOrder("PUB_KEY_ID_1", "5157F09E");
    }

    @Test
    void refusesAnEmptyKeyringAndNonRsaKeys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        PublicKey ecKey = ec.generateKeyPair().getPublic();

        assertThatIllegalArgumentException().isThrownBy(() -> new WeChatPayKeyring(Map.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new WeChatPayKeyring(Map.of("PUB_KEY_ID_1", ecKey)))
                .withMessageContaining("must be RSA");
        assertThatIllegalArgumentException().isThrownBy(() -> new WeChatPayKeyring(Map.of(" ", ecKey)));
    }

    private static PublicKey rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPublic();
    }
}
