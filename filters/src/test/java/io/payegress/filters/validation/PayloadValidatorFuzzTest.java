package io.payegress.filters.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.tenant.CodeMode;
import io.payegress.filters.tenant.Tenant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** 10,000 generated bodies: the validator never throws, is deterministic, and only accepts what is really valid. */
class PayloadValidatorFuzzTest {

    private static final long SEED = 20150520L;
    private static final int COUNT = 10_000;
    private static final PayloadValidator COUPONS_USE =
            new PayloadValidator(Fixtures.couponsUseSchema(), ValidationSettings.defaults());
    private static final Tenant[] TENANTS = {
        Fixtures.store001(),
        Fixtures.tenant("merchant-codes", Map.of("100088", CodeMode.MERCHANT_API)),
        openidRequired(Fixtures.store001())
    };
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    @Test
    void neverThrowsAndAnswersEveryBodyWithAcceptanceOrLocatedErrors() {
        List<byte[]> bodies = FuzzBodies.generate(SEED, COUNT);
        EnumSet<RejectionReason> seen = EnumSet.noneOf(RejectionReason.class);
        int accepted = 0;

        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i);
            ValidationResult result = validate(body, i);
            if (result instanceof ValidationResult.Rejected rejected) {
                seen.add(rejected.reason());
                assertThat(rejected.errors()).as(FuzzBodies.text(body)).isNotEmpty();
                assertThat(rejected.errors())
                        .extracting(FieldError::pointer)
                        .allMatch(pointer -> pointer.isEmpty() || pointer.startsWith("/"));
            } else {
                accepted++;
                assertReallyValid(body, ((ValidationResult.Accepted) result).body());
            }
        }

        assertThat(accepted).isBetween(COUNT / 50, COUNT / 2);
        assertThat(seen).containsExactlyInAnyOrder(RejectionReason.values());
    }

    @Test
    void isDeterministicForASeed() {
        List<byte[]> first = FuzzBodies.generate(SEED, 1_000);
        List<byte[]> second = FuzzBodies.generate(SEED, 1_000);

        List<String> firstOutcomes = new ArrayList<>();
        List<String> secondOutcomes = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isEqualTo(first.get(i));
            firstOutcomes.add(validate(first.get(i), i).toString());
            secondOutcomes.add(validate(second.get(i), i).toString());
        }
        assertThat(secondOutcomes).isEqualTo(firstOutcomes);
        assertThat(FuzzBodies.generate(SEED + 1, 200)).isNotEqualTo(first.subList(0, 200));
    }

    private static Tenant openidRequired(Tenant tenant) {
        return new Tenant(
                tenant.id(),
                tenant.apiKeyHashes(),
                tenant.appids(),
                tenant.stocks(),
                tenant.weight(),
                tenant.capPerSecond(),
                true);
    }

    private static ValidationResult validate(byte[] body, int i) {
        return COUPONS_USE.validate(body, TENANTS[i % TENANTS.length]);
    }

    /** An independent look at an accepted body with a lenient parser: the invariants the validator promises. */
    private static void assertReallyValid(byte[] body, JsonNode tree) {
        String text = FuzzBodies.text(body);
        assertThat(Utf8Check.firstInvalidOffset(body)).as(text).isEqualTo(-1);
        assertThat(text.codePoints().noneMatch(Character::isSupplementaryCodePoint))
                .as(text)
                .isTrue();
        JsonNode reread = PLAIN.readTree(body);
        assertThat(reread).as(text).isEqualTo(tree);
        assertThat(Set.copyOf(reread.propertyNames()))
                .as(text)
                .containsAll(List.of("coupon_code", "appid", "use_time", "use_request_no"))
                .isSubsetOf(List.of(FuzzBodies.FIELDS));
        for (int f = 0; f < FuzzBodies.FIELDS.length; f++) {
            JsonNode value = reread.path(FuzzBodies.FIELDS[f]);
            if (!value.isMissingNode()) {
                assertThat(value.isString()).as(text).isTrue();
                assertThat(value.asString().length()).as(text).isBetween(1, FuzzBodies.MAX_LENGTHS[f]);
            }
        }
        assertThat(reread.path("appid").asString()).isEqualTo("wx1234567889999");
    }
}
