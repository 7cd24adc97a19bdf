package io.payegress.filters.forward;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/** WeChat's answer to one attempt, exactly as received: status, headers and the raw body bytes. */
record UpstreamAnswer(int status, HttpHeaders headers, byte[] body) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Nullable
    String header(String name) {
        return headers.get(name);
    }
}
