package io.payegress.simulator.signing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;

/**
 * Signs response bodies as WeChat's platform does: SHA256withRSA over {@code TIMESTAMP\nNONCE\nBODY\n} of the exact
 * response bytes, announced under a public-key id ({@code Wechatpay-Serial}).
 */
public final class ResponseSigner {

    private static final char[] NONCE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey key;
    private final String serial;

    public ResponseSigner(PrivateKey key, String serial) {
        this.key = key;
        this.serial = serial;
    }

    public String serial() {
        return serial;
    }

    /** The Base64 signature of {@code timestamp\nnonce\nbody\n}. */
    public String sign(long timestamp, String nonce, byte[] body) {
        return Sha256WithRsa.sign(key, signMessage(timestamp, nonce, body));
    }

    /** A random 32-character upper-case alphanumeric nonce. */
    public String nonce() {
        char[] nonce = new char[32];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = NONCE_CHARS[random.nextInt(NONCE_CHARS.length)];
        }
        return new String(nonce);
    }

    /** The response sign string as bytes, the body appended raw. */
    public static byte[] signMessage(long timestamp, String nonce, byte[] body) {
        byte[] head = (timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        message[message.length - 1] = '\n';
        return message;
    }
}
