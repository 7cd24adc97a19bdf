package io.payegress.filters.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.FieldError;
import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.tenant.Tenant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A second WeChat API (coupons/return) validated by its schema file and settings alone, with no new Java. */
class CouponsReturnRouteTest {

    private static final PayloadValidator COUPONS_RETURN = new PayloadValidator(
            Fixtures.couponsReturnSchema(), new ValidationSettings(false, 16, 32, Optional.of("return_request_no")));
    private static final Tenant STORE = Fixtures.store001();

    @Test
    void acceptsTheReturnExampleAndHandsOnReturnRequestNo() {
        ValidationResult result = COUPONS_RETURN.validate(Fixtures.utf8(Fixtures.RETURN_EXAMPLE), STORE);

        assertThat(((ValidationResult.Accepted) result).idempotencyKey()).contains("R20150520001");
    }

    @Test
    void requiresStockIdThroughTheSchemaNotTheTenantRule() {
        String body = "{\"coupon_code\":\"sxxe34343434\",\"return_request_no\":\"R1\"}";

        ValidationResult.Rejected rejected =
                PayloadValidatorBehaviourTest.rejected(COUPONS_RETURN.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.SCHEMA);
        assertThat(rejected.errors()).containsExactly(new FieldError("/stock_id", "is required"));
    }

    @Test
    void refusesUseFieldsThatAreNotPartOfReturn() {
        String body = Fixtures.RETURN_EXAMPLE.replace("}", ",\"use_request_no\":\"1\"}");

        ValidationResult.Rejected rejected =
                PayloadValidatorBehaviourTest.rejected(COUPONS_RETURN.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.errors()).extracting(FieldError::pointer).containsExactly("/use_request_no");
    }

    @Test
    void refusesAStockTheTenantDoesNotOwn() {
        String body = Fixtures.RETURN_EXAMPLE.replace("100088", "999999");

        ValidationResult.Rejected rejected =
                PayloadValidatorBehaviourTest.rejected(COUPONS_RETURN.validate(Fixtures.utf8(body), STORE));

        assertThat(rejected.code()).isEqualTo(GatewayCode.FORBIDDEN);
        assertThat(rejected.reason()).isEqualTo(RejectionReason.FORBIDDEN_STOCK);
    }
}
