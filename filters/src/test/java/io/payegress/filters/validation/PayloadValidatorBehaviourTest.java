package io.payegress.filters.validation;

import static io.payegress.filters.validation.Bodies.repeat;
import static io.payegress.filters.validation.Bodies.seed;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.tenant.CodeMode;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What passes, how many problems are listed, and what each route setting changes. */
class PayloadValidatorBehaviourTest {

    private static final PayloadValidator COUPONS_USE =
            new PayloadValidator(Fixtures.couponsUseSchema(), ValidationSettings.defaults());
    private static final Tenant STORE = Fixtures.store001();
    private static final String LONG_APPID = repeat('a', 32);
    private static final String LONG_STOCK = repeat('1', 20);
    private static final Tenant BOUNDS = new Tenant(
            new TenantId("bounds"),
            List.of(new byte[32]),
            Set.of(LONG_APPID, "wx1234567889999"),
            Map.of(LONG_STOCK, CodeMode.MERCHANT_UPLOAD, "100088", CodeMode.MERCHANT_API),
            1,
            OptionalInt.empty(),
            false);

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("the seed example", seed(), STORE),
                Arguments.of(
                        "no stock_id when the tenant has a WECHATPAY_MODE stock", seed().without("stock_id"), STORE),
                Arguments.of("no openid", seed().without("openid"), STORE),
                Arguments.of("use_time in UTC with Z", seed().with("use_time", "2015-05-20T05:29:35Z"), STORE),
                Arguments.of(
                        "use_time with a negative offset", seed().with("use_time", "2015-05-20T01:29:35-04:00"), STORE),
                Arguments.of(
                        "use_time with fractions", seed().with("use_time", "2015-05-20T13:29:35.123+08:00"), STORE),
                Arguments.of(
                        "use_time on Feb 29 of a leap year",
                        seed().with("use_time", "2016-02-29T13:29:35+08:00"),
                        STORE),
                Arguments.of("CJK (3-byte UTF-8) in openid", seed().with("openid", "\u4e2d\u6587\u7528\u6237"), STORE),
                Arguments.of(
                        "every field at its maximum length",
                        seed().with("coupon_code", repeat('c', 32))
                                .with("stock_id", LONG_STOCK)
                                .with("appid", LONG_APPID)
                                .with("use_time", "2015-05-20T13:29:35.123456+08:00")
                                .with("use_request_no", repeat('9', 32))
                                .with("openid", repeat('o', 128)),
                        BOUNDS),
                Arguments.of(
                        "every field at its minimum length",
                        seed().with("coupon_code", "c")
                                .with("use_request_no", "9")
                                .with("openid", "o"),
                        STORE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsValidBodiesAndHandsOnTheUseRequestNo(String name, Bodies body, Tenant tenant) {
        ValidationResult result = COUPONS_USE.validate(Fixtures.utf8(body.json()), tenant);

        assertThat(result).isInstanceOf(ValidationResult.Accepted.class);
        ValidationResult.Accepted accepted = (ValidationResult.Accepted) result;
        assertThat(accepted.idempotencyKey()).contains(unquote(body.fields().get("use_request_no")));
        assertThat(accepted.body().path("coupon_code").asString())
                .isEqualTo(unquote(body.fields().get("coupon_code")));
    }

    @Test
    void listsEveryProblemOfABodyAtOnce() {
        String body = seed().without("coupon_code")
                .with("coupon_cod", "x")
                .raw("appid", "5")
                .with("use_time", "2015-05-20T13:29:35")
                .with("use_request_no", "")
                .raw("openid", "null")
                .json();

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.code()).isEqualTo(GatewayCode.VALIDATION_FAILED);
        assertThat(rejected.errors())
                .extracting(FieldError::pointer)
                .containsExactlyInAnyOrder(
                        "/coupon_code", "/coupon_cod", "/appid", "/use_time", "/use_request_no", "/openid");
        assertThat(rejected.errors())
                .contains(new FieldError("/use_time", SchemaMessages.DATE_TIME))
                .contains(new FieldError("/openid", "must be left out rather than set to null"))
                .contains(new FieldError("/coupon_code", "is required"));
    }

    @Test
    void checksOwnershipOnlyOnceTheBodyIsValidSoA403MeansTheBodyWasFine() {
        String body = seed().with("appid", "wx0000000000001").with("openid", "").json();

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.code()).isEqualTo(GatewayCode.VALIDATION_FAILED);
        assertThat(rejected.errors()).extracting(FieldError::pointer).containsExactly("/openid");
    }

    @Test
    void listsBothOwnershipProblemsInOneForbidden() {
        String body =
                seed().with("appid", "wx0000000000001").with("stock_id", "999").json();

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body), STORE));
        GatewayRejection rejection = rejected.toRejection();

        assertThat(rejection.code()).isEqualTo(GatewayCode.FORBIDDEN);
        assertThat(rejection.errors()).extracting(FieldError::pointer).containsExactly("/appid", "/stock_id");
        assertThat(rejection.detail()).doesNotContain("wx0000000000001");
    }

    @Test
    void countsARejectionUnderItsMostBasicReason() {
        String body = seed().with("openid", "").raw("appid", "null").json();

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.errors()).hasSize(2);
        assertThat(rejected.reason()).isEqualTo(RejectionReason.NULL_VALUE);
    }

    @Test
    void capsTheListOfErrorsWithASummary() {
        Bodies body = seed().with("coupon_code", "x");
        for (int i = 0; i < 80; i++) {
            body.with("unknown_" + i, "v");
        }

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body.json()), STORE));

        assertThat(rejected.errors()).hasSize(PayloadValidator.MAX_ERRORS + 1);
        assertThat(rejected.errors().get(PayloadValidator.MAX_ERRORS).detail())
                .isEqualTo("and 30 more problems not listed");
    }

    @Test
    void allowUnknownFieldsLetsExtraFieldsThroughButStillChecksKnownOnes() {
        PayloadValidator lenient =
                new PayloadValidator(Fixtures.couponsUseSchema(), settings(true, 16, "use_request_no"));

        assertThat(lenient.validate(Fixtures.utf8(seed().with("memo", "hi").json()), STORE))
                .isInstanceOf(ValidationResult.Accepted.class);
        assertThat(rejected(lenient.validate(
                                Fixtures.utf8(seed().with("openid", "").json()), STORE))
                        .errors())
                .extracting(FieldError::pointer)
                .containsExactly("/openid");
        assertThat(rejected(lenient.validate(
                                Fixtures.utf8(seed().raw("memo", "null").json()), STORE))
                        .reason())
                .isEqualTo(RejectionReason.NULL_VALUE);
    }

    @Test
    void twoRoutesMayShareASchemaFileWithDifferentSettings() {
        PayloadValidator lenient =
                new PayloadValidator(Fixtures.couponsUseSchema(), settings(true, 16, "use_request_no"));
        PayloadValidator strict =
                new PayloadValidator(Fixtures.couponsUseSchema(), settings(false, 16, "use_request_no"));
        byte[] extra = Fixtures.utf8(seed().with("memo", "hi").json());

        assertThat(lenient.validate(extra, STORE)).isInstanceOf(ValidationResult.Accepted.class);
        assertThat(rejected(strict.validate(extra, STORE)).errors())
                .containsExactly(new FieldError("/memo", "is not a field of this API; check its spelling"));
    }

    @Test
    void maxDepthBoundsNestingAtTheConfiguredLevel() {
        PayloadValidator lenient =
                new PayloadValidator(Fixtures.couponsUseSchema(), settings(true, 16, "use_request_no"));
        PayloadValidator shallow =
                new PayloadValidator(Fixtures.couponsUseSchema(), settings(true, 2, "use_request_no"));
        byte[] depth16 =
                Fixtures.utf8(seed().raw("x", repeat('[', 15) + repeat(']', 15)).json());
        byte[] depth3 = Fixtures.utf8(seed().raw("x", "[[]]").json());

        assertThat(lenient.validate(depth16, STORE)).isInstanceOf(ValidationResult.Accepted.class);
        assertThat(rejected(shallow.validate(depth3, STORE)).reason()).isEqualTo(RejectionReason.TOO_DEEP);
        assertThat(shallow.validate(Fixtures.utf8(seed().raw("x", "[]").json()), STORE))
                .isInstanceOf(ValidationResult.Accepted.class);
    }

    @Test
    void aRouteWithoutIdempotencyKeyFieldHandsNoKeyOn() {
        PayloadValidator keyless = new PayloadValidator(Fixtures.couponsUseSchema(), settings(false, 16, ""));

        ValidationResult result = keyless.validate(Fixtures.utf8(Fixtures.SEED), STORE);

        assertThat(((ValidationResult.Accepted) result).idempotencyKey()).isEmpty();
    }

    @Test
    void aConfiguredKeyFieldMissingFromTheBodyIsAnError() {
        PayloadValidator keyed = new PayloadValidator(Fixtures.couponsUseSchema(), settings(true, 16, "out_trade_no"));

        ValidationResult.Rejected rejected = rejected(keyed.validate(Fixtures.utf8(Fixtures.SEED), STORE));

        assertThat(rejected.errors())
                .containsExactly(new FieldError("/out_trade_no", "is required and must be a string"));
    }

    @Test
    void pointersEscapeSlashAndTildeInFieldNames() {
        String body = seed().raw("a/b~c", "null").json();

        ValidationResult.Rejected rejected = rejected(COUPONS_USE.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.errors()).extracting(FieldError::pointer).contains("/a~1b~0c");
    }

    static ValidationSettings settings(boolean allowUnknown, int maxDepth, String keyField) {
        return new ValidationSettings(
                allowUnknown, maxDepth, ValidationSettings.DEFAULT_MAX_NUMBER_LENGTH, Optional.of(keyField));
    }

    static ValidationResult.Rejected rejected(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        return (ValidationResult.Rejected) result;
    }

    private static String unquote(String raw) {
        return raw.substring(1, raw.length() - 1);
    }
}
