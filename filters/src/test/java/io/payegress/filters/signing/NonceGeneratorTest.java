package io.payegress.filters.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceGeneratorTest {

    @Test
    void makesDistinct32CharacterAlphanumericNonces() {
        NonceGenerator generator = new NonceGenerator();
        Set<String> seen = new HashSet<>();
        Set<Character> characters = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            String nonce = generator.next();
            assertThat(nonce).matches("[0-9A-Za-z]{32}");
            seen.add(nonce);
            nonce.chars().forEach(c -> characters.add((char) c));
        }

        assertThat(seen).hasSize(10_000);
        assertThat(characters).as("all 62 characters are used").hasSize(62);
    }
}
