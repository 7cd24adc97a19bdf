package io.payegress.simulator;

import io.payegress.simulator.signing.SignatureCheck;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds WeChat's 401 SIGN_ERROR body; a signature mismatch carries {@code detail.field="signature"},
 * {@code detail.location="authorization"}, {@code detail.detail.issue="sign not match"} and {@code sign_information}.
 */
final class SignErrors {

    private SignErrors() {}

    static byte[] body(SignatureCheck check, JsonMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("code", "SIGN_ERROR");
        SignatureCheck.SignInformation info = check.signInformation();
        if (info != null) {
            ObjectNode detail = root.putObject("detail");
            detail.putObject("detail").put("issue", "sign not match");
            detail.put("field", "signature");
            detail.put("location", "authorization");
            ObjectNode sign = detail.putObject("sign_information");
            sign.put("method", info.method());
            sign.put("sign_message_length", info.signMessageLength());
            sign.put("truncated_sign_message", info.truncatedSignMessage());
            sign.put("url", info.url());
        }
        root.put("message", check.message());
        return mapper.writeValueAsBytes(root);
    }
}
