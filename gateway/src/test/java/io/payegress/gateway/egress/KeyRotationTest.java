package io.payegress.gateway.egress;

import static io.payegress.gateway.support.PaymentTestBed.DEMO_API_KEY;
import static io.payegress.gateway.support.PaymentTestBed.SEED_BODY;
import static io.payegress.gateway.support.PaymentTestBed.USE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.signing.PemKeys;
import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import io.payegress.simulator.SimulatorConfig;
import io.payegress.simulator.WeChatPaySimulator;
import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.signing.KeyMaterial;
import io.payegress.simulator.stats.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/** Key rotation on both sides: the merchant key file replaced under a running gateway, and two WeChat Pay keys trusted at once. */
class KeyRotationTest {

    private static final Pattern SIGNATURE = Pattern.compile("signature=\"([^\"]+)\"");
    private static final Pattern TIMESTAMP = Pattern.compile("timestamp=\"([^\"]+)\"");
    private static final Pattern NONCE = Pattern.compile("nonce_str=\"([^\"]+)\"");

    @TempDir
    Path keys;

    private static void redeem(GatewayInstance gateway, String couponCode) {
        gateway.client()
                .post()
                .uri(USE_PATH)
                .header("Authorization", "Bearer " + DEMO_API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(SEED_BODY
                        .replace("sxxe34343434", couponCode)
                        .replace("1002600620019090123143254435", couponCode))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void signsTheNextRequestWithTheNewKeyOnceTheKeyFileIsReplaced() throws Exception {
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                GatewayInstance gateway = bed.startGateway(Map.of("payegress.wechatpay.key-check-interval", "0s"))) {
            redeem(gateway, "demo-0001");
            assertThat(signedBy(last(bed), bed.keys().merchant().publicKey())).isTrue();

            KeyMaterial rotated = bed.keys().rotateMerchantKey();
            bed.simulator()
                    .addMerchantKey(CouponSeed.DEMO_MCHID, bed.keys().merchant().serial(), rotated.publicKey());
            redeem(gateway, "demo-0002");

            assertThat(signedBy(last(bed), rotated.publicKey())).isTrue();
            assertThat(signedBy(last(bed), bed.keys().merchant().publicKey())).isFalse();
        }
    }

    @Test
    void acceptsAnswersSignedWithEitherOfTwoConfiguredWeChatPayKeys() {
        try (PaymentTestBed bed = PaymentTestBed.start(keys, 0);
                WeChatPaySimulator second = WeChatPaySimulator.start(SimulatorConfig.demo(
                                KeyMaterial.generatePlatform(), bed.keys().merchant())
                        .build())) {
            Path secondKey = keys.resolve("second_public_key.pem");
            java.nio.file.Files.writeString(secondKey, PemKeys.publicKeyPem(second.platformPublicKey()));
            Map<String, Object> bothKeys = Map.of(
                    "payegress.wechatpay.platform-keys[1].id", second.platformPublicKeyId(),
                    "payegress.wechatpay.platform-keys[1].public-key-file", secondKey.toString());
            try (GatewayInstance first = bed.startGateway(bothKeys);
                    GatewayInstance other =
                            bed.startGateway(with(bothKeys, "payegress.wechatpay.base-url", second.baseUrl()))) {
                redeem(first, "demo-0003");
                redeem(other, "demo-0004");
            }
            assertThat(bed.simulator().stats().redemptions()).isEqualTo(1);
            assertThat(second.stats().redemptions()).isEqualTo(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static RecordedRequest last(PaymentTestBed bed) {
        List<RecordedRequest> sent = bed.simulator().recordedRequests();
        return sent.get(sent.size() - 1);
    }

    private static boolean signedBy(RecordedRequest request, PublicKey key) throws Exception {
        String authorization = request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .get(0);
        String message = "POST\n" + request.path() + "\n" + group(TIMESTAMP, authorization) + "\n"
                + group(NONCE, authorization) + "\n" + new String(request.body(), StandardCharsets.UTF_8) + "\n";
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(message.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(group(SIGNATURE, authorization)));
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
