package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintTest {

    @ParameterizedTest
    @CsvSource({
        "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "'{\"a\":1}', 015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
    })
    void isTheSha256OfTheExactBytes(String body, String hex) {
        assertThat(Fingerprint.of(body.getBytes(StandardCharsets.UTF_8)).hex()).isEqualTo(hex);
    }
}
