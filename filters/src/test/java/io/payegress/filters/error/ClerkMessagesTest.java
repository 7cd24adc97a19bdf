package io.payegress.filters.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ClerkMessagesTest {

    private static MerchantError error(String code) {
        return new MerchantError(400, code, false, "Title of " + code, "detail", List.of(), null, null);
    }

    @ParameterizedTest(name = "Accept-Language \"{0}\" -> {1}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, EN",
                "'', EN",
                "zh-CN, ZH",
                "zh, ZH",
                "zh-Hans-CN;q=0.9, ZH",
                "'en-US,en;q=0.9,zh-CN;q=0.8', EN",
                "'fr-FR,zh-CN;q=0.8,en;q=0.5', ZH",
                "'en;q=0.2,zh;q=0.9', ZH",
                "de-DE, EN",
                "'%%%not a header', EN"
            })
    void choosesChineseOnlyWhenAcceptLanguagePrefersIt(String header, ClerkLanguage expected) {
        assertThat(ClerkLanguage.of(header)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(GatewayCode.class)
    void hasASentenceInBothLanguagesForEveryGatewayCode(GatewayCode code) {
        ClerkMessages messages = ClerkMessages.defaults();
        assertThat(messages.message(error(code.name()), ClerkLanguage.EN)).isNotEqualTo("Title of " + code);
        assertThat(messages.message(error(code.name()), ClerkLanguage.ZH)).matches(".*\\p{IsHan}.*");
    }

    @Test
    void hasASentenceInBothLanguagesForEveryDefaultUpstreamCode() {
        ClerkMessages messages = ClerkMessages.defaults();
        List<String> codes = new java.util.ArrayList<>(DefaultErrorTable.couponsUse().stream()
                .map(MappingRule::merchantCode)
                .toList());
        codes.addAll(List.of("UPSTREAM_OUTCOME_UNKNOWN", "UPSTREAM_SIGNATURE_INVALID", "UPSTREAM_REJECTED"));
        for (String code : codes) {
            assertThat(messages.message(error(code), ClerkLanguage.ZH)).as(code).matches(".*\\p{IsHan}.*");
            assertThat(messages.message(error(code), ClerkLanguage.EN)).as(code).doesNotStartWith("Title of");
        }
    }

    @Test
    void overridesOneLanguageAndKeepsTheOther() {
        ClerkMessages messages = ClerkMessages.defaults()
                .with(Map.of("COUPON_ALREADY_USED", new ClerkMessages.Sentence("Already redeemed.", null)));

        assertThat(messages.message(error("COUPON_ALREADY_USED"), ClerkLanguage.EN))
                .isEqualTo("Already redeemed.");
        assertThat(messages.message(error("COUPON_ALREADY_USED"), ClerkLanguage.ZH))
                .isEqualTo("该券已被使用。");
    }

    @Test
    void fallsBackToTheTitleForACodeWithoutASentence() {
        assertThat(ClerkMessages.defaults().message(error("MERCHANT_SPECIFIC"), ClerkLanguage.ZH))
                .isEqualTo("Title of MERCHANT_SPECIFIC");
    }
}
