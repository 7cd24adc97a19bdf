package io.payegress.simulator.signing;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a request's {@code WECHATPAY2-SHA256-RSA2048} Authorization the way WeChat does: header syntax, the
 * 5-minute timestamp window against the simulator clock, a known mchid and serial, then SHA256withRSA over
 * {@code METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n} built from the raw body bytes.
 */
public final class RequestVerifier {

    public static final String FORMAT_ERROR = "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》";
    public static final String TIMESTAMP_ERROR = "Http头Authorization中的timestamp与发起请求的时间不得超过5分钟";
    public static final String SERIAL_ERROR = "商户证书序列号有误。请使用签名私钥匹配的证书序列号";
    public static final String MISMATCH_ERROR = "错误的签名，验签失败";

    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int TRUNCATE_AT = 128;

    private final MerchantKeys keys;
    private final Clock clock;

    public RequestVerifier(MerchantKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Checks the Authorization of a request whose canonical URL is the raw path plus {@code ?raw-query} if any. */
    public SignatureCheck check(String method, String canonicalUrl, @Nullable String authorization, byte[] body) {
        Optional<AuthorizationHeader> parsed =
                authorization == null ? Optional.empty() : AuthorizationHeader.parse(authorization);
        if (parsed.isEmpty()) {
            return SignatureCheck.rejected(FORMAT_ERROR);
        }
        AuthorizationHeader header = parsed.get();
        Long timestamp = seconds(header.timestamp());
        if (timestamp == null) {
            return SignatureCheck.rejected(FORMAT_ERROR);
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > WINDOW.toSeconds()) {
            return SignatureCheck.rejected(TIMESTAMP_ERROR);
        }
        Optional<PublicKey> key = keys.find(header.mchid(), header.serialNo());
        if (key.isEmpty()) {
            return SignatureCheck.rejected(SERIAL_ERROR);
        }
        byte[] message = signMessage(method, canonicalUrl, header.timestamp(), header.nonce(), body);
        if (!Sha256WithRsa.verify(key.get(), message, header.signature())) {
            return SignatureCheck.mismatch(MISMATCH_ERROR, information(method, canonicalUrl, message));
        }
        return SignatureCheck.verified(header.mchid());
    }

    /** The request sign string, as bytes: the body is appended raw, never re-encoded. */
    public static byte[] signMessage(String method, String url, String timestamp, String nonce, byte[] body) {
        byte[] head = (method + "\n" + url + "\n" + timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        message[message.length - 1] = '\n';
        return message;
    }

    private static SignatureCheck.SignInformation information(String method, String url, byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        String truncated = text.length() <= TRUNCATE_AT ? text : text.substring(0, TRUNCATE_AT) + "\n";
        return new SignatureCheck.SignInformation(method, url, message.length, truncated);
    }

    private static @Nullable Long seconds(String timestamp) {
        if (timestamp.isEmpty() || timestamp.length() > 12 || !timestamp.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(timestamp);
    }
}
