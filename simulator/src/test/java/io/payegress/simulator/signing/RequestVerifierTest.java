package io.payegress.simulator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestVerifierTest {

    private static final long NOW = 1_554_208_460L;
    private static final String URL = "/v3/marketing/busifavor/coupons/use";
    private static final byte[] BODY = "{\"coupon_code\":\"券\"}".getBytes(StandardCharsets.UTF_8);
    private static KeyMaterial merchant;
    private static RequestVerifier verifier;

    @BeforeAll
    static void keys() {
        merchant = KeyMaterial.generate();
        MerchantKeys keys = new MerchantKeys();
        keys.add("1900000001", merchant.serial(), merchant.publicKey());
        verifier = new RequestVerifier(keys, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "valid,                       1900000001, SERIAL, 0,    POST, true,  ''",
        "clock skew under 5 minutes,  1900000001, SERIAL, -300, POST, true,  ''",
        "timestamp 5 minutes + 1s old,1900000001, SERIAL, -301, POST, false, 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟'",
        "timestamp 6 minutes ahead,   1900000001, SERIAL, 360,  POST, false, 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟'",
        "unknown merchant,            1900000099, SERIAL, 0,    POST, false, '商户证书序列号有误。请使用签名私钥匹配的证书序列号'",
        "unknown serial,              1900000001, 0BAD,   0,    POST, false, '商户证书序列号有误。请使用签名私钥匹配的证书序列号'",
        "signed another method,       1900000001, SERIAL, 0,    GET,  false, '错误的签名，验签失败'"
    })
    void checksTimestampKeyAndSignatureInOrder(
            String situation,
            String mchid,
            String serial,
            long skew,
            String signedMethod,
            boolean verified,
            String message) {
        String useSerial = serial.equals("SERIAL") ? merchant.serial() : serial;
        String auth = authorization(mchid, useSerial, NOW + skew, signedMethod, merchant.privateKey());

        SignatureCheck check = verifier.check("POST", URL, auth, BODY);

        assertThat(check.verified()).isEqualTo(verified);
        assertThat(check.message()).isEqualTo(message);
        if (verified) {
            assertThat(check.mchid()).isEqualTo(mchid);
        }
    }

    @Test
    void mismatchCarriesTheSignStringTheServerBuilt() {
        String auth = authorization("1900000001", merchant.serial(), NOW, "GET", merchant.privateKey());

        SignatureCheck check = verifier.check("POST", URL, auth, BODY);

        assertThat(check.signInformation()).isNotNull();
        assertThat(check.signInformation().truncatedSignMessage())
                .isEqualTo("POST\n" + URL + "\n" + NOW + "\nNONCE\n{\"coupon_code\":\"券\"}\n");
        assertThat(check.signInformation().signMessageLength())
                .isEqualTo(RequestVerifier.signMessage("POST", URL, "" + NOW, "NONCE", BODY).length);
    }

    @Test
    void signMessageMatchesTheDocumentedGoldenString() {
        byte[] message = RequestVerifier.signMessage(
                "GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", new byte[0]);

        assertThat(new String(message, StandardCharsets.UTF_8))
                .isEqualTo("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    }

    @Test
    void missingAuthorizationIsAFormatError() {
        assertThat(verifier.check("POST", URL, null, BODY).message()).isEqualTo(RequestVerifier.FORMAT_ERROR);
    }

    private static String authorization(String mchid, String serial, long timestamp, String method, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((method + "\n" + URL + "\n" + timestamp + "\nNONCE\n").getBytes(StandardCharsets.UTF_8));
            signature.update(BODY);
            signature.update((byte) '\n');
            String sig = Base64.getEncoder().encodeToString(signature.sign());
            return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid + "\",nonce_str=\"NONCE\",timestamp=\"" + timestamp
                    + "\",serial_no=\"" + serial + "\",signature=\"" + sig + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
