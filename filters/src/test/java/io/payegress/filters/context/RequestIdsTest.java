package io.payegress.filters.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"abc-123", "pos.7:till_2", "0123456789012345678901234567890123456789012345678901234567890123"})
    void keepsASaneRequestId(String offered) {
        assertThat(RequestIds.takeOrGenerate(offered)).isEqualTo(offered);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "has space",
                "new\nline",
                "<script>",
                "01234567890123456789012345678901234567890123456789012345678901234"
            })
    void replacesAnInsaneRequestIdWithAGeneratedOne(String offered) {
        assertThat(RequestIds.takeOrGenerate(offered)).isNotEqualTo(offered).matches("[0-9a-f-]{36}");
    }

    @org.junit.jupiter.api.Test
    void generatesWhenAbsent() {
        assertThat(RequestIds.takeOrGenerate(null)).matches("[0-9a-f-]{36}");
    }
}
