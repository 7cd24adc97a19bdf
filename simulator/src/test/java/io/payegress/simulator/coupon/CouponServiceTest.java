package io.payegress.simulator.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CouponServiceTest {

    private final CouponBook book = new CouponBook(CouponSeed.demo());
    private final CouponService service = new CouponService(
            book,
            Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC),
            JsonMapper.builder().build());

    @Test
    void seedExampleAnswersTheDocumentedResponseShape() {
        CouponOutcome outcome =
                service.use(CouponSeed.DEMO_MCHID, body("sxxe34343434", "1002600620019090123143254435"));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(new String(outcome.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"stock_id\":\"100088\",\"openid\":\"xsd3434454567676\","
                        + "\"wechatpay_use_time\":\"2026-01-02T11:04:05+08:00\"}");
        assertThat(outcome.applied()).isTrue();
    }

    @Test
    void concurrentRedemptionsUnderDifferentNumbersHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<CouponOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String number = "race-" + i;
                calls.add(() -> service.use(CouponSeed.DEMO_MCHID, body("load-race", number)));
            }
            int winners = 0;
            int refused = 0;
            for (Future<CouponOutcome> result : pool.invokeAll(calls)) {
                CouponOutcome outcome = result.get();
                winners += outcome.applied() ? 1 : 0;
                refused += outcome.status() == 400 ? 1 : 0;
            }

            assertThat(winners).isEqualTo(1);
            assertThat(refused).isEqualTo(31);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void generatedLoadCouponsExistOnFirstUseOnly() {
        assertThat(book.coupon("load-123")).isPresent();
        assertThat(book.coupon("load-")).isEmpty();
        assertThat(book.coupon("unload-1")).isEmpty();
    }

    @Test
    void resetRestoresTheSeedAfterRedemptions() {
        service.use(CouponSeed.DEMO_MCHID, body("sxxe34343434", "n1"));

        book.reset();

        assertThat(book.coupon("sxxe34343434").orElseThrow().state()).isEqualTo(CouponState.SENDED);
    }

    private static byte[] body(String code, String useRequestNo) {
        return ("{\"coupon_code\":\"" + code + "\",\"stock_id\":\"100088\",\"appid\":\"wx1234567889999\","
                        + "\"use_time\":\"2015-05-20T13:29:35+08:00\",\"use_request_no\":\"" + useRequestNo
                        + "\",\"openid\":\"xsd3434454567676\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
