package io.payegress.simulator.fault;

/** The faults the simulator can inject; LATENCY delays the answer and combines with any one other fault. */
public enum FaultType {
    /** Wait {@code latencyMs} before answering. */
    LATENCY,
    /** 500 {"code":"SYSTEM_ERROR"}, signed. */
    SYSTEM_ERROR_500,
    /** 400 {"code":"SYSTEM_ERROR"}, signed (busifavor's "call again later with the same parameters"). */
    SYSTEM_ERROR_400,
    /** Close the connection (TCP RST) without answering. */
    CONNECTION_RESET,
    /** 502 with an HTML page, as an edge load balancer answers. */
    HTML_502,
    /** 503 with an empty body. */
    EMPTY_503,
    /** 200 without any Wechatpay-* signature headers. */
    UNSIGNED_2XX,
    /** 200 whose Wechatpay-Signature does not match the body. */
    BAD_SIGNATURE_2XX,
    /** 200 signed by a key the gateway does not know, under an unknown Wechatpay-Serial. */
    UNKNOWN_SERIAL_2XX,
    /** 200 correctly signed but with a Wechatpay-Timestamp 10 minutes old. */
    STALE_TIMESTAMP_2XX;

    /** True for faults that answer 200 with a bad or missing signature. */
    public boolean forgesSuccess() {
        return this == UNSIGNED_2XX
                || this == BAD_SIGNATURE_2XX
                || this == UNKNOWN_SERIAL_2XX
                || this == STALE_TIMESTAMP_2XX;
    }
}
