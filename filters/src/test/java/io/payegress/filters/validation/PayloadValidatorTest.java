package io.payegress.filters.validation;

import static io.payegress.filters.error.GatewayCode.FORBIDDEN;
import static io.payegress.filters.error.GatewayCode.VALIDATION_FAILED;
import static io.payegress.filters.validation.Bodies.repeat;
import static io.payegress.filters.validation.Bodies.seed;
import static io.payegress.filters.validation.RejectionReason.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.tenant.CodeMode;
import io.payegress.filters.tenant.Tenant;
import io.payegress.filters.tenant.TenantId;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the coupons/use route, one row each: the body, the tenant, and the code, pointer and reason. */
class PayloadValidatorTest {

    private static final PayloadValidator COUPONS_USE =
            new PayloadValidator(Fixtures.couponsUseSchema(), ValidationSettings.defaults());
    private static final Tenant STORE = Fixtures.store001();
    private static final Tenant MERCHANT_CODES_ONLY = Fixtures.tenant(
            "merchant-codes", Map.of("100088", CodeMode.MERCHANT_API, "100099", CodeMode.MERCHANT_UPLOAD));
    private static final Tenant NO_STOCKS = Fixtures.tenant("no-stocks", Map.of());
    private static final Tenant OPENID_STORE = new Tenant(
            new TenantId("strict"), STORE.apiKeyHashes(), STORE.appids(), STORE.stocks(), 1, OptionalInt.empty(), true);

    static Stream<Arguments> rejections() {
        return Stream.of(
                row(
                        "coupon_code over 32",
                        seed().with("coupon_code", repeat('c', 33)),
                        VALIDATION_FAILED,
                        "/coupon_code",
                        SCHEMA),
                row("coupon_code empty", seed().with("coupon_code", ""), VALIDATION_FAILED, "/coupon_code", SCHEMA),
                row("coupon_code missing", seed().without("coupon_code"), VALIDATION_FAILED, "/coupon_code", SCHEMA),
                row(
                        "coupon_code a number",
                        seed().raw("coupon_code", "123"),
                        VALIDATION_FAILED,
                        "/coupon_code",
                        SCHEMA),
                row(
                        "stock_id over 20",
                        seed().with("stock_id", repeat('1', 21)),
                        VALIDATION_FAILED,
                        "/stock_id",
                        SCHEMA),
                row("stock_id empty", seed().with("stock_id", ""), VALIDATION_FAILED, "/stock_id", SCHEMA),
                row("appid over 32", seed().with("appid", repeat('w', 33)), VALIDATION_FAILED, "/appid", SCHEMA),
                row("appid missing", seed().without("appid"), VALIDATION_FAILED, "/appid", SCHEMA),
                row("appid an object", seed().raw("appid", "{}"), VALIDATION_FAILED, "/appid", SCHEMA),
                row(
                        "use_time without offset",
                        seed().with("use_time", "2015-05-20T13:29:35"),
                        VALIDATION_FAILED,
                        "/use_time",
                        SCHEMA),
                row(
                        "use_time on Feb 30",
                        seed().with("use_time", "2015-02-30T13:29:35+08:00"),
                        VALIDATION_FAILED,
                        "/use_time",
                        SCHEMA),
                row(
                        "use_time with a space",
                        seed().with("use_time", "2015-05-20 13:29:35+08:00"),
                        VALIDATION_FAILED,
                        "/use_time",
                        SCHEMA),
                row(
                        "use_time hour 24",
                        seed().with("use_time", "2015-05-20T24:29:35+08:00"),
                        VALIDATION_FAILED,
                        "/use_time",
                        SCHEMA),
                row(
                        "use_time over 32",
                        seed().with("use_time", "2015-05-20T13:29:35.1234567+08:00"),
                        VALIDATION_FAILED,
                        "/use_time",
                        SCHEMA),
                row("use_time missing", seed().without("use_time"), VALIDATION_FAILED, "/use_time", SCHEMA),
                row(
                        "use_request_no over 32",
                        seed().with("use_request_no", repeat('9', 33)),
                        VALIDATION_FAILED,
                        "/use_request_no",
                        SCHEMA),
                row(
                        "use_request_no missing",
                        seed().without("use_request_no"),
                        VALIDATION_FAILED,
                        "/use_request_no",
                        SCHEMA),
                row(
                        "use_request_no a number",
                        seed().raw("use_request_no", "1002"),
                        VALIDATION_FAILED,
                        "/use_request_no",
                        SCHEMA),
                row("openid over 128", seed().with("openid", repeat('o', 129)), VALIDATION_FAILED, "/openid", SCHEMA),
                row("openid empty", seed().with("openid", ""), VALIDATION_FAILED, "/openid", SCHEMA),
                row(
                        "typo coupon_cod",
                        seed().without("coupon_code").with("coupon_cod", "x"),
                        VALIDATION_FAILED,
                        "/coupon_cod",
                        SCHEMA),
                row("unknown field", seed().with("amount", "1"), VALIDATION_FAILED, "/amount", SCHEMA),
                row("null optional field", seed().raw("openid", "null"), VALIDATION_FAILED, "/openid", NULL_VALUE),
                row("null required field", seed().raw("appid", "null"), VALIDATION_FAILED, "/appid", NULL_VALUE),
                row(
                        "emoji as 4-byte UTF-8",
                        seed().with("openid", "abc\uD83D\uDE00"),
                        VALIDATION_FAILED,
                        "/openid",
                        FOUR_BYTE_UTF8),
                row(
                        "emoji as escaped pair",
                        seed().raw("openid", "\"abc\\ud83d\\ude00\""),
                        VALIDATION_FAILED,
                        "/openid",
                        FOUR_BYTE_UTF8),
                row(
                        "unpaired surrogate escape",
                        seed().raw("openid", "\"abc\\ud800\""),
                        VALIDATION_FAILED,
                        "/openid",
                        INVALID_UTF8),
                row(
                        "emoji in a field name",
                        seed().raw("k\uD83D\uDE00", "\"v\""),
                        VALIDATION_FAILED,
                        "/k\uD83D\uDE00",
                        FOUR_BYTE_UTF8),
                row(
                        "CJK extension B (4-byte)",
                        seed().with("coupon_code", "\uD840\uDC00"),
                        VALIDATION_FAILED,
                        "/coupon_code",
                        FOUR_BYTE_UTF8),
                row(
                        "duplicate appid",
                        seed().raw("appid", "\"wx1234567889999\",\"appid\":\"wx1\""),
                        VALIDATION_FAILED,
                        "/appid",
                        DUPLICATE_KEY),
                row(
                        "nested 17 deep",
                        seed().raw("x", repeat('[', 16) + repeat(']', 16)),
                        VALIDATION_FAILED,
                        "",
                        TOO_DEEP),
                row("number of 33 digits", seed().raw("x", repeat('7', 33)), VALIDATION_FAILED, "", NUMBER_TOO_LONG),
                row(
                        "stock_id missing, merchant codes only",
                        seed().without("stock_id"),
                        MERCHANT_CODES_ONLY,
                        VALIDATION_FAILED,
                        "/stock_id",
                        STOCK_ID_REQUIRED),
                row(
                        "stock_id missing, no stocks",
                        seed().without("stock_id"),
                        NO_STOCKS,
                        VALIDATION_FAILED,
                        "/stock_id",
                        STOCK_ID_REQUIRED),
                row(
                        "openid missing, store requires it",
                        seed().without("openid"),
                        OPENID_STORE,
                        VALIDATION_FAILED,
                        "/openid",
                        OPENID_REQUIRED),
                row("appid not granted", seed().with("appid", "wx0000000000001"), FORBIDDEN, "/appid", FORBIDDEN_APPID),
                row("stock not granted", seed().with("stock_id", "999999"), FORBIDDEN, "/stock_id", FORBIDDEN_STOCK),
                raw("empty body", "", "", NOT_JSON),
                raw("whitespace body", " \r\n\t", "", NOT_JSON),
                raw("truncated body", Fixtures.SEED.substring(0, 40), "", NOT_JSON),
                raw("not JSON", "coupon_code=sxxe34343434", "", NOT_JSON),
                raw("two objects", Fixtures.SEED + Fixtures.SEED, "", NOT_JSON),
                raw("single quotes", "{'coupon_code':'x'}", "", NOT_JSON),
                raw("comment", "/* hi */" + Fixtures.SEED, "", NOT_JSON),
                raw("NaN", "{\"x\":NaN}", "", NOT_JSON),
                raw("byte order mark", "\uFEFF" + Fixtures.SEED, "", NOT_JSON),
                raw("leading zero", Fixtures.SEED.replace("}", ",\"x\":01}"), "", NOT_JSON),
                raw("raw control character", Fixtures.SEED.replace("sxxe", "s\u0001xe"), "", NOT_JSON),
                raw("top-level array", "[" + Fixtures.SEED + "]", "", NOT_OBJECT),
                raw("top-level string", "\"sxxe34343434\"", "", NOT_OBJECT),
                raw("top-level null", "null", "", NOT_OBJECT),
                bytes("overlong slash", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}),
                bytes("stray continuation byte", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'}),
                bytes("truncated sequence", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE4, (byte) 0xB8, '"', '}'
                }),
                bytes(
                        "encoded surrogate",
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}),
                bytes("past U+10FFFF", new byte[] {
                    '{', '"', 'a', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'
                }),
                bytes(
                        "Latin-1 body",
                        "{\"openid\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    @org.junit.jupiter.api.Test
    void aStoreThatRequiresTheOpenidTakesARedemptionThatCarriesIt() {
        assertThat(COUPONS_USE.validate(Fixtures.utf8(seed().json()), OPENID_STORE))
                .isInstanceOf(ValidationResult.Accepted.class);
        assertThat(COUPONS_USE.validate(Fixtures.utf8(seed().without("openid").json()), STORE))
                .isInstanceOf(ValidationResult.Accepted.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void refusesWithCodePointerAndReason(
            String name, byte[] body, Tenant tenant, GatewayCode code, String pointer, RejectionReason reason) {
        ValidationResult result = COUPONS_USE.validate(body, tenant);

        assertThat(result).isInstanceOf(ValidationResult.Rejected.class);
        ValidationResult.Rejected rejected = (ValidationResult.Rejected) result;
        assertThat(rejected.code()).isEqualTo(code);
        assertThat(rejected.reason()).isEqualTo(reason);
        assertThat(rejected.errors()).extracting(FieldError::pointer).contains(pointer);
        assertThat(rejected.errors())
                .extracting(FieldError::detail)
                .allSatisfy(detail -> assertThat(detail)
                        .isNotBlank()
                        .doesNotContainIgnoringCase("networknt")
                        .doesNotContainIgnoringCase("jackson")
                        .doesNotContainIgnoringCase("exception")
                        .doesNotContain("#/")
                        .doesNotContain("$"));
    }

    private static Arguments row(String name, Bodies body, GatewayCode code, String pointer, RejectionReason reason) {
        return row(name, body, STORE, code, pointer, reason);
    }

    private static Arguments row(
            String name, Bodies body, Tenant tenant, GatewayCode code, String pointer, RejectionReason reason) {
        return Arguments.of(name, Fixtures.utf8(body.json()), tenant, code, pointer, reason);
    }

    private static Arguments raw(String name, String body, String pointer, RejectionReason reason) {
        return Arguments.of(name, Fixtures.utf8(body), STORE, VALIDATION_FAILED, pointer, reason);
    }

    private static Arguments bytes(String name, byte[] body) {
        return Arguments.of(name, body, STORE, VALIDATION_FAILED, "", INVALID_UTF8);
    }
}
