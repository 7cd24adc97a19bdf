package io.payegress.filters.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final String PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000000001";
    private static final String CERT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    private static final String NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242";
    private static final String STALE = "timestamp outside the 5-minute window";
    private static final byte[] BODY =
            "{\"stock_id\":\"100088\",\"openid\":\"oX-1\",\"wechatpay_use_time\":\"2026-11-27T14:00:00+08:00\",\"备注\":\"核销\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final KeyPair PUBLIC_KEY_MODE = generate();
    private static final KeyPair CERTIFICATE_MODE = generate();

    private final ResponseVerifier verifier = new ResponseVerifier(
            new WeChatPayKeyring(
                    Map.of(PUB_KEY_ID, PUBLIC_KEY_MODE.getPublic(), CERT_SERIAL, CERTIFICATE_MODE.getPublic())),
            Clock.fixed(NOW, ZoneOffset.UTC),
            ResponseVerifier.DEFAULT_MAX_SKEW);

    static Stream<Arguments> responses() {
        String ts = ts(Duration.ZERO);
        String good = sign(PUBLIC_KEY_MODE, ts, NONCE, BODY);
        return Stream.of(
                arguments("valid, public-key mode", ts, NONCE, good, PUB_KEY_ID, BODY, "valid"),
                arguments(
                        "valid, second key (platform certificate)",
                        ts,
                        NONCE,
                        sign(CERTIFICATE_MODE, ts, NONCE, BODY),
                        CERT_SERIAL,
                        BODY,
                        "valid"),
                arguments("tampered body", ts, NONCE, good, PUB_KEY_ID, tamper(BODY), "signature does not verify"),
                arguments("tampered nonce", ts, "X" + NONCE, good, PUB_KEY_ID, BODY, "signature does not verify"),
                arguments(
                        "signed by the other trusted key",
                        ts,
                        NONCE,
                        good,
                        CERT_SERIAL,
                        BODY,
                        "signature does not verify"),
                arguments(
                        "unknown serial",
                        ts,
                        NONCE,
                        good,
                        "PUB_KEY_ID_999",
                        BODY,
                        "unknown Wechatpay-Serial PUB_KEY_ID_999"),
                arguments(
                        "unknown serial with control characters is not echoed raw",
                        ts,
                        NONCE,
                        good,
                        "EVIL\r\nX-Injected: 1",
                        BODY,
                        "unknown Wechatpay-Serial EVIL??X-Injected:?1"),
                signedAt("5 min + 1 s old", Duration.ofSeconds(-301), STALE),
                signedAt("5 min + 1 s ahead", Duration.ofSeconds(301), STALE),
                signedAt("exactly 5 min old, as the SDKs reject", Duration.ofSeconds(-300), STALE),
                signedAt("4 min 59 s old", Duration.ofSeconds(-299), "valid"),
                signedAt("4 min 59 s ahead", Duration.ofSeconds(299), "valid"),
                arguments("missing signature", ts, NONCE, null, PUB_KEY_ID, BODY, "missing Wechatpay-Signature"),
                arguments("blank signature", ts, NONCE, " ", PUB_KEY_ID, BODY, "missing Wechatpay-Signature"),
                arguments("missing timestamp", null, NONCE, good, PUB_KEY_ID, BODY, "missing Wechatpay-Timestamp"),
                arguments("missing nonce", ts, null, good, PUB_KEY_ID, BODY, "missing Wechatpay-Nonce"),
                arguments("empty nonce", ts, "", good, PUB_KEY_ID, BODY, "missing Wechatpay-Nonce"),
                arguments("missing serial", ts, NONCE, good, null, BODY, "missing Wechatpay-Serial"),
                arguments(
                        "non-numeric timestamp",
                        "abc",
                        NONCE,
                        good,
                        PUB_KEY_ID,
                        BODY,
                        "malformed Wechatpay-Timestamp abc"),
                arguments(
                        "negative timestamp", "-1", NONCE, good, PUB_KEY_ID, BODY, "malformed Wechatpay-Timestamp -1"),
                arguments(
                        "millisecond timestamp",
                        ts + "000",
                        NONCE,
                        good,
                        PUB_KEY_ID,
                        BODY,
                        "malformed Wechatpay-Timestamp " + ts + "000"),
                arguments(
                        "huge timestamp",
                        "99999999999999999999999",
                        NONCE,
                        good,
                        PUB_KEY_ID,
                        BODY,
                        "malformed Wechatpay-Timestamp 99999999999999999999999"),
                arguments("garbage Base64", ts, NONCE, "%%%not base64%%%", PUB_KEY_ID, BODY, "malformed signature"),
                arguments("Base64 of the wrong length", ts, NONCE, "AAAA", PUB_KEY_ID, BODY, "malformed signature"),
                arguments(
                        "WeChat probe signature",
                        ts,
                        NONCE,
                        "WECHATPAY/SIGNTEST/" + good.substring(19),
                        PUB_KEY_ID,
                        BODY,
                        null),
                arguments(
                        "empty body (204)",
                        ts,
                        NONCE,
                        sign(PUBLIC_KEY_MODE, ts, NONCE, new byte[0]),
                        PUB_KEY_ID,
                        new byte[0],
                        "valid"),
                arguments(
                        "empty-body signature on a non-empty body",
                        ts,
                        NONCE,
                        sign(PUBLIC_KEY_MODE, ts, NONCE, new byte[0]),
                        PUB_KEY_ID,
                        BODY,
                        "signature does not verify"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void judgesEachResponseAndSaysWhy(
            String name,
            @Nullable String timestamp,
            @Nullable String nonce,
            @Nullable String signature,
            @Nullable String serial,
            byte[] body,
            @Nullable String reason) {
        Verdict verdict = verifier.verify(timestamp, nonce, signature, serial, body);

        assertThat(verdict.valid()).isEqualTo("valid".equals(reason));
        if (reason != null) {
            assertThat(verdict.reason()).isEqualTo(reason);
        }
    }

    @Test
    void emptyBodyIsSignedAsTimestampNonceAndAnEmptyLine() throws Exception {
        String ts = ts(Duration.ZERO);
        byte[] message = (ts + "\n" + NONCE + "\n\n").getBytes(StandardCharsets.UTF_8);

        String signature = Base64.getEncoder().encodeToString(rawSign(PUBLIC_KEY_MODE.getPrivate(), message));

        assertThat(verifier.verify(ts, NONCE, signature, PUB_KEY_ID, new byte[0]))
                .isEqualTo(Verdict.ok());
    }

    @Test
    void namesACustomWindowInTheReason() {
        ResponseVerifier strict = new ResponseVerifier(
                new WeChatPayKeyring(Map.of(PUB_KEY_ID, PUBLIC_KEY_MODE.getPublic())),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(30));
        String ts = ts(Duration.ofSeconds(-31));

        Verdict verdict = strict.verify(ts, NONCE, sign(PUBLIC_KEY_MODE, ts, NONCE, BODY), PUB_KEY_ID, BODY);

        assertThat(verdict).isEqualTo(Verdict.invalid("timestamp outside the 30-second window"));
    }

    private static Arguments signedAt(String name, Duration offset, String reason) {
        String ts = ts(offset);
        return arguments(name, ts, NONCE, sign(PUBLIC_KEY_MODE, ts, NONCE, BODY), PUB_KEY_ID, BODY, reason);
    }

    private static String ts(Duration offset) {
        return Long.toString(NOW.plus(offset).getEpochSecond());
    }

    private static byte[] tamper(byte[] body) {
        byte[] copy = body.clone();
        copy[copy.length - 2] ^= 1;
        return copy;
    }

    private static String sign(KeyPair keys, String timestamp, String nonce, byte[] body) {
        byte[] head = (timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        message[message.length - 1] = '\n';
        try {
            return Base64.getEncoder().encodeToString(rawSign(keys.getPrivate(), message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rawSign(PrivateKey key, byte[] message) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(message);
        return signature.sign();
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
