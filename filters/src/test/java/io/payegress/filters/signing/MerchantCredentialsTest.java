package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MerchantCredentialsTest {

    private static final PrivateKey KEY = PemKeys.privateKey(MerchantTestKeys.KEY_A);

    @Test
    void toStringShowsIdentityButNoKeyMaterial() {
        String text = new MerchantCredentials("1900000001", MerchantTestKeys.SERIAL_A, KEY).toString();

        assertThat(text).contains("1900000001", MerchantTestKeys.SERIAL_A, "<redacted>");
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) KEY;
        String encoded = Base64.getEncoder().encodeToString(KEY.getEncoded());
        assertThat(text)
                .doesNotContain(encoded.substring(40, 80))
                .doesNotContain(rsa.getPrivateExponent().toString())
                .doesNotContain(rsa.getPrivateExponent().toString(16))
                .doesNotContain(rsa.getPrimeP().toString());
    }

    @ParameterizedTest(name = "mchid ''{0}'' serial ''{1}''")
    @CsvSource({
        "'1900000001\",evil=\"1', ABC",
        "'', ABC",
        "'1900 000001', ABC",
        "1900000001, abc",
        "1900000001, ''",
        "1900000001, 'AB\"C'",
    })
    void refusesIdentifiersThatWouldBreakTheAuthorizationHeader(String merchantId, String serialNo) {
        assertThatIllegalArgumentException().isThrownBy(() -> new MerchantCredentials(merchantId, serialNo, KEY));
    }
}
