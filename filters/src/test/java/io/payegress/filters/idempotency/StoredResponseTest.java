package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoredResponseTest {

    static Stream<StoredResponse> responses() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        return Stream.of(
                new StoredResponse(200, List.of(), new byte[0]),
                new StoredResponse(
                        409,
                        List.of(
                                new StoredResponse.Header("Content-Type", "application/problem+json"),
                                new StoredResponse.Header("Retry-After", "1"),
                                new StoredResponse.Header("X-Note", "券 ünïcode")),
                        "{\"code\":\"COUPON_ALREADY_USED\"}".getBytes(StandardCharsets.UTF_8)),
                new StoredResponse(503, List.of(new StoredResponse.Header("A", "")), allBytes));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void encodeThenDecodeGivesTheSameResponse(StoredResponse response) {
        StoredResponse decoded = StoredResponse.decode(response.encode());
        assertThat(decoded).isEqualTo(response);
        assertThat(decoded.body()).containsExactly(response.body());
        assertThat(decoded.headers()).containsExactlyElementsOf(response.headers());
    }

    @Test
    void decodeRejectsTruncatedOrForeignBytes() {
        byte[] encoded = responses().toList().get(1).encode();
        assertThatThrownBy(() -> StoredResponse.decode(Arrays.copyOf(encoded, encoded.length - 20)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredResponse.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyIsCopiedSoCallersCannotChangeAStoredResponse() {
        byte[] body = {1, 2, 3};
        StoredResponse response = new StoredResponse(200, List.of(), body);
        body[0] = 9;
        response.body()[1] = 9;
        assertThat(response.body()).containsExactly(1, 2, 3);
    }
}
