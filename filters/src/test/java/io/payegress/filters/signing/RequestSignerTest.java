package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestSignerTest {

    private static final Pattern HEADER = Pattern.compile("WECHATPAY2-SHA256-RSA2048 (.+)");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"(,|$)");
    private static final byte[] COUPON_BODY = ("{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
                    + "\"appid\":\"wx1234567890abcdef\",\"use_time\":\"2026-11-27T13:29:35+08:00\","
                    + "\"use_request_no\":\"1002600620019090123143254436\",\"备注\":\"门店核销，深圳南山店\"}")
            .getBytes(StandardCharsets.UTF_8);

    private static KeyPair keys;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @Test
    void buildsTheDocumentedGoldenMessageForAGetWithoutBody() {
        byte[] message = RequestSigner.message(
                "GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", new byte[0]);

        assertThat(new String(message, StandardCharsets.UTF_8))
                .isEqualTo("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    }

    @Test
    void keepsTheExactUtf8BytesOfAJsonBodyWithChineseCharacters() {
        byte[] message =
                RequestSigner.message("POST", "/v3/marketing/busifavor/coupons/use", 1554208460, "NONCE", COUPON_BODY);

        byte[] head = "POST\n/v3/marketing/busifavor/coupons/use\n1554208460\nNONCE\n".getBytes(StandardCharsets.UTF_8);
        assertThat(message).startsWith(head).endsWith(new byte[] {'\n'}).hasSize(head.length + COUPON_BODY.length + 1);
        assertThat(new String(message, StandardCharsets.UTF_8)).contains("门店核销，深圳南山店\"}\n");
    }

    @Test
    void neverReEncodesTheBodyEvenWhenItIsNotUtf8() {
        byte[] gbkBody = "{\"备注\":\"门店\"}".getBytes(Charset.forName("GBK"));
        byte[] body = new byte[gbkBody.length + 2];
        System.arraycopy(gbkBody, 0, body, 0, gbkBody.length);
        body[gbkBody.length] = (byte) 0xFF;
        body[gbkBody.length + 1] = (byte) 0x00;

        byte[] message = RequestSigner.message("POST", "/v3/x", 1, "N", body);

        byte[] tail = new byte[body.length + 1];
        System.arraycopy(message, message.length - tail.length, tail, 0, tail.length);
        assertThat(tail).startsWith(body).endsWith(new byte[] {'\n'});
    }

    @Test
    void keepsTheRawQueryInTheCanonicalUrl() {
        byte[] message = RequestSigner.message(
                "GET", "/v3/certificates?algorithm_type=RSA&x=%E4%B8%AD", 1554208460, "N", new byte[0]);

        assertThat(new String(message, StandardCharsets.UTF_8))
                .isEqualTo("GET\n/v3/certificates?algorithm_type=RSA&x=%E4%B8%AD\n1554208460\nN\n\n");
    }

    @ParameterizedTest(name = "method ''{0}'' url ''{1}''")
    @CsvSource({
        "post, /v3/marketing/busifavor/coupons/use",
        "'', /v3/marketing/busifavor/coupons/use",
        "POST, https://api.mch.weixin.qq.com/v3/marketing/busifavor/coupons/use",
        "POST, v3/marketing/busifavor/coupons/use",
    })
    void refusesAMessageThatWeChatPayWouldNeverMatch(String method, String url) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RequestSigner.message(method, url, 1554208460, "N", new byte[0]));
    }

    @Test
    void authorizationHeaderCarriesFiveParametersAndASignatureAPlainJdkVerifierAccepts() throws Exception {
        MerchantCredentials credentials = new MerchantCredentials("1900000001", "5157F09EFDC0", keys.getPrivate());
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1554208460, 999_000_000), ZoneOffset.UTC);
        String url = "/v3/marketing/busifavor/coupons/use";

        String header =
                new RequestSigner(clock, new NonceGenerator()).authorization(credentials, "POST", url, COUPON_BODY);

        Map<String, String> params = parse(header);
        assertThat(params).containsOnlyKeys("mchid", "nonce_str", "timestamp", "serial_no", "signature");
        assertThat(params).containsEntry("mchid", "1900000001").containsEntry("serial_no", "5157F09EFDC0");
        assertThat(params.get("timestamp")).isEqualTo("1554208460").matches("[0-9]{10}");
        assertThat(params.get("nonce_str")).matches("[0-9A-Za-z]{32}");
        byte[] signed = RequestSigner.message(
                "POST", url, Long.parseLong(params.get("timestamp")), params.get("nonce_str"), COUPON_BODY);
        assertThat(jdkVerifies(signed, params.get("signature"))).isTrue();
        byte[] otherBody = "{\"coupon_code\":\"other\"}".getBytes(StandardCharsets.UTF_8);
        byte[] tampered = RequestSigner.message(
                "POST", url, Long.parseLong(params.get("timestamp")), params.get("nonce_str"), otherBody);
        assertThat(jdkVerifies(tampered, params.get("signature"))).isFalse();
    }

    @Test
    void eachAuthorizationUsesAFreshNonce() {
        MerchantCredentials credentials = new MerchantCredentials("1900000001", "ABC", keys.getPrivate());
        RequestSigner signer = new RequestSigner(Clock.systemUTC(), new NonceGenerator());

        String first = parse(signer.authorization(credentials, "GET", "/v3/certificates", new byte[0]))
                .get("nonce_str");
        String second = parse(signer.authorization(credentials, "GET", "/v3/certificates", new byte[0]))
                .get("nonce_str");

        assertThat(first).isNotEqualTo(second);
    }

    private static boolean jdkVerifies(byte[] message, String signatureBase64) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(message);
        return verifier.verify(Base64.getDecoder().decode(signatureBase64));
    }

    private static Map<String, String> parse(String header) {
        Matcher scheme = HEADER.matcher(header);
        assertThat(scheme.matches()).as("scheme of %s", header).isTrue();
        Map<String, String> params = new LinkedHashMap<>();
        Matcher param = PARAM.matcher(scheme.group(1));
        int end = 0;
        while (param.find() && param.start() == end) {
            params.put(param.group(1), param.group(2));
            end = param.end();
        }
        assertThat(end)
                .as("parameters parse to the end of %s", header)
                .isEqualTo(scheme.group(1).length());
        return params;
    }
}
