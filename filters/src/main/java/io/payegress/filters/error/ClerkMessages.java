package io.payegress.filters.error;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One human sentence per merchant code, in English and Simplified Chinese, for the store clerk's screen. Built-in
 * sentences cover every default code; a merchant overrides or adds sentences per code and language. A code without
 * a sentence falls back to its English title.
 */
public final class ClerkMessages {

    /** A code's sentence in both languages; a null half keeps the built-in (or the title). */
    public record Sentence(@Nullable String en, @Nullable String zh) {}

    private final Map<String, Sentence> sentences;

    private ClerkMessages(Map<String, Sentence> sentences) {
        this.sentences = Map.copyOf(sentences);
    }

    public static ClerkMessages defaults() {
        return new ClerkMessages(DefaultClerkMessages.SENTENCES);
    }

    /** These messages with the given sentences laid over them, language by language. */
    public ClerkMessages with(Map<String, Sentence> overrides) {
        Map<String, Sentence> merged = new HashMap<>(sentences);
        overrides.forEach((code, override) -> {
            Sentence base = merged.get(code);
            String en = override.en() != null ? override.en() : base == null ? null : base.en();
            String zh = override.zh() != null ? override.zh() : base == null ? null : base.zh();
            merged.put(code, new Sentence(en, zh));
        });
        return new ClerkMessages(merged);
    }

    /** The sentence for this error in this language. */
    public String message(MerchantError error, ClerkLanguage language) {
        Sentence sentence = sentences.get(error.code());
        String text = sentence == null ? null : language == ClerkLanguage.ZH ? sentence.zh() : sentence.en();
        if (text == null && sentence != null) {
            text = sentence.en();
        }
        return text == null ? error.title() : text;
    }
}
