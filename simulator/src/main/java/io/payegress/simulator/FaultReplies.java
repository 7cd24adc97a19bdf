package io.payegress.simulator;

import io.payegress.simulator.coupon.ApiError;
import io.payegress.simulator.fault.FaultType;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** The answers injected faults replace the real answer with. */
final class FaultReplies {

    private static final byte[] HTML_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private FaultReplies() {}

    /** A 200 whose signature is missing, wrong, from an unknown key or stale, carrying the given success body. */
    static Reply forgedSuccess(FaultType type, byte[] body) {
        Reply.Signing signing;
        switch (type) {
            case UNSIGNED_2XX:
                signing = Reply.Signing.UNSIGNED;
                break;
            case BAD_SIGNATURE_2XX:
                signing = Reply.Signing.BAD_SIGNATURE;
                break;
            case UNKNOWN_SERIAL_2XX:
                signing = Reply.Signing.UNKNOWN_SERIAL;
                break;
            case STALE_TIMESTAMP_2XX:
                signing = Reply.Signing.STALE_TIMESTAMP;
                break;
            default:
                throw new IllegalArgumentException("not a forged-success fault: " + type);
        }
        return new Reply(200, Reply.JSON, body, signing, 0);
    }

    /** A failure answer: SYSTEM_ERROR (signed JSON), an edge HTML 502, an empty 503 or a connection reset. */
    static Reply failure(FaultType type, JsonMapper mapper) {
        switch (type) {
            case SYSTEM_ERROR_500:
                return Reply.signedJson(500, systemError(500, mapper));
            case SYSTEM_ERROR_400:
                return Reply.signedJson(400, systemError(400, mapper));
            case HTML_502:
                return new Reply(502, "text/html", HTML_502, Reply.Signing.UNSIGNED, 0);
            case EMPTY_503:
                return new Reply(503, null, new byte[0], Reply.Signing.UNSIGNED, 0);
            case CONNECTION_RESET:
                return new Reply(0, null, new byte[0], Reply.Signing.RESET, 0);
            default:
                throw new IllegalArgumentException("not a failure fault: " + type);
        }
    }

    private static byte[] systemError(int status, JsonMapper mapper) {
        return ApiError.of(status, "SYSTEM_ERROR", "系统繁忙，请稍后重试").toJson(mapper);
    }
}
