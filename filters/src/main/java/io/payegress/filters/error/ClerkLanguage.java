package io.payegress.filters.error;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The language of the sentence a store clerk sees: Simplified Chinese when Accept-Language prefers zh, else English. */
public enum ClerkLanguage {
    EN,
    ZH;

    /** Picks the language from an Accept-Language header by weight; absent or malformed headers give English. */
    public static ClerkLanguage of(@Nullable String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return EN;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return EN;
        }
        for (Locale.LanguageRange range : ranges) {
            String tag = range.getRange();
            if (tag.startsWith("zh")) {
                return ZH;
            }
            if (tag.startsWith("en")) {
                return EN;
            }
        }
        return EN;
    }
}
