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

    @org.junit.jupiter.api.Test
    void theSaneCheckAgreesWithItsExpression() {
        java.util.regex.Pattern sane = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");
        java.util.List<String> ids = new java.util.ArrayList<>(java.util.List.of(
                "a",
                "rid-7",
                "0b6f1c2e-5d4a-4f3e-9a8b-7c6d5e4f3a2b",
                "x".repeat(64),
                "store.12:till-3_x",
                "a\"b",
                "é",
                "",
                "x".repeat(65),
                "a b",
                "a/b",
                "a\\b",
                "ü",
                "A-Z_a.z:0-9",
                "tab\t",
                "{}",
                "%"));
        for (char c = 0; c < 256; c++) {
            ids.add("id" + c);
        }
        for (String id : ids) {
            assertThat(RequestIds.sane(id)).as(id).isEqualTo(sane.matcher(id).matches());
        }
    }
}
