package io.payegress.simulator;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** An independent, deliberately small v3 request signer and response verifier for the tests. */
record TestSigner(String mchid, String serial, PrivateKey key) {

    String authorization(String method, String url, long timestamp, String nonce, byte[] body) {
        String head = method + "\n" + url + "\n" + timestamp + "\n" + nonce + "\n";
        String signature = sign(key, concat(head.getBytes(StandardCharsets.UTF_8), body, "\n"));
        return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid + "\",nonce_str=\"" + nonce + "\",timestamp=\"" + timestamp
                + "\",serial_no=\"" + serial + "\",signature=\"" + signature + "\"";
    }

    static boolean verifyResponse(PublicKey platform, String timestamp, String nonce, byte[] body, String signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(platform);
            verifier.update(concat((timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8), body, "\n"));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }

    static String sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(message);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] head, byte[] body, String tail) {
        byte[] out = new byte[head.length + body.length + tail.length()];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        System.arraycopy(tail.getBytes(StandardCharsets.UTF_8), 0, out, head.length + body.length, tail.length());
        return out;
    }
}
