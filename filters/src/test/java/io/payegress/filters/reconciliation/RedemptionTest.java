package io.payegress.filters.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Reading a redemption from its body, building the query path, and reading the query's answer and the success. */
class RedemptionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SEED = "{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
            + "\"appid\":\"wx1234567889999\",\"use_time\":\"2015-05-20T13:29:35+08:00\","
            + "\"use_request_no\":\"1002600620019090123143254435\",\"openid\":\"xsd3434454567676\"}";

    static Redemption seed() {
        return Redemption.read(JSON, SEED.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void readsTheFieldsTheQueryAndTheSuccessNeed() {
        assertThat(seed())
                .isEqualTo(new Redemption(
                        "sxxe34343434",
                        "wx1234567889999",
                        "1002600620019090123143254435",
                        "xsd3434454567676",
                        "100088"));
    }

    @Test
    void aBodyWithoutOpenidHasNoQueryPath() {
        Redemption without = Redemption.read(
                        JSON,
                        SEED.replace(",\"openid\":\"xsd3434454567676\"", "").getBytes(StandardCharsets.UTF_8))
                .orElseThrow();

        assertThat(without.hasOpenid()).isFalse();
        assertThatThrownBy(without::queryPath).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBodyWithoutACouponOrNotJsonIsNoRedemption() {
        assertThat(Redemption.read(JSON, "{\"appid\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Optional.empty());
        assertThat(Redemption.read(JSON, "<html>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Optional.empty());
    }

    @Test
    void theQueryPathPercentEncodesEachSegment() {
        assertThat(seed().queryPath())
                .isEqualTo(
                        "/v3/marketing/busifavor/users/xsd3434454567676/coupons/sxxe34343434/appids/wx1234567889999");
        Redemption odd = new Redemption("a/b c", "wx1", "n1", "o+1?", null);
        assertThat(odd.queryPath()).isEqualTo("/v3/marketing/busifavor/users/o%2B1%3F/coupons/a%2Fb%20c/appids/wx1");
    }

    @Test
    void readsTheQueriedCouponAndRefusesAnAnswerWithoutAState() {
        byte[] used = ("{\"stock_id\":\"100088\",\"coupon_code\":\"sxxe34343434\",\"coupon_state\":\"USED\","
                        + "\"use_request_no\":\"n1\",\"use_time\":\"2026-01-02T11:04:05+08:00\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(QueriedCoupon.parse(JSON, used))
                .contains(new QueriedCoupon("USED", "n1", "2026-01-02T11:04:05+08:00", "100088"));
        assertThat(QueriedCoupon.parse(JSON, "{\"stock_id\":\"1\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(QueriedCoupon.parse(JSON, new byte[0])).isEmpty();
    }

    @Test
    void theReconciledSuccessIsWeChatsAnswerShapeWithTheQueriedUseTime() {
        QueriedCoupon coupon = new QueriedCoupon("USED", "n1", "2026-01-02T11:04:05+08:00", "100088");

        byte[] body = ReconciledAnswer.successBody(JSON, coupon, seed());

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"stock_id\":\"100088\",\"openid\":\"xsd3434454567676\","
                        + "\"wechatpay_use_time\":\"2026-01-02T11:04:05+08:00\"}");
        assertThat(ReconciledAnswer.stored(body, "Q-1").headers())
                .extracting(h -> h.name() + ": " + h.value())
                .containsExactly("Content-Type: application/json", "X-Upstream-Request-Id: Q-1");
    }
}
