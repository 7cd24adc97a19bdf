package io.payegress.filters.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DedupeKeyTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1900000109|coupons-use|1002600620019090123143254435|payegress:dedupe:{1900000109:coupons-use:1002600620019090123143254435}",
                "1900000109|coupons-use|a:b|payegress:dedupe:{1900000109:coupons-use:a%3Ab}",
                "1900000109|coupons-use|x}{y|payegress:dedupe:{1900000109:coupons-use:x%7D%7By}",
                "1900000109|r.1_x|50%|payegress:dedupe:{1900000109:r.1_x:50%25}",
                "1900000109|coupons-use|券|payegress:dedupe:{1900000109:coupons-use:%E5%88%B8}"
            })
    void redisKeyKeepsOneHashTagAndEscapesEverythingElse(String mchid, String route, String no, String expected) {
        assertThat(new DedupeKey(mchid, route, no).redisKey()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, DedupeKey.MAX_COMPONENT_LENGTH + 1})
    void rejectsEmptyOrOverlongComponents(int length) {
        assertThatThrownBy(() -> new DedupeKey("1900000109", "coupons-use", "x".repeat(length)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
