package io.payegress.simulator.signing;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking a request's Authorization: verified for a merchant, or rejected with WeChat's 401
 * SIGN_ERROR message and, for a signature mismatch, the sign-string debug information WeChat returns.
 */
public record SignatureCheck(
        boolean verified,
        @Nullable String mchid,
        String message,
        @Nullable SignInformation signInformation) {

    public static SignatureCheck verified(String mchid) {
        return new SignatureCheck(true, mchid, "", null);
    }

    public static SignatureCheck rejected(String message) {
        return new SignatureCheck(false, null, message, null);
    }

    public static SignatureCheck mismatch(String message, SignInformation info) {
        return new SignatureCheck(false, null, message, info);
    }

    /** WeChat's reconstruction of the sign string, returned in 401 bodies as {@code detail.sign_information}. */
    public record SignInformation(String method, String url, int signMessageLength, String truncatedSignMessage) {}
}
