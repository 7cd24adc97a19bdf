package io.payegress.simulator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationHeaderTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"N\",timestamp=\"1554208460\","
                        + "serial_no=\"ABC\",signature=\"c2ln\"",
                "WECHATPAY2-SHA256-RSA2048 signature=\"c2ln\",serial_no=\"ABC\",timestamp=\"1554208460\","
                        + "nonce_str=\"N\",mchid=\"1900000001\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\", nonce_str=\"N\", timestamp=\"1554208460\", "
                        + "serial_no=\"ABC\", signature=\"c2ln\""
            })
    void parsesTheFiveParametersInAnyOrder(String header) {
        assertThat(AuthorizationHeader.parse(header))
                .contains(new AuthorizationHeader("1900000001", "N", "1554208460", "ABC", "c2ln"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Bearer abc",
                "WECHATPAY2-SM2-WITH-SM3 mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\""
                        + ",extra=\"x\"",
                "WECHATPAY2-SHA256-RSA2048 mchid=\"\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\""
            })
    void rejectsMalformedHeaders(String header) {
        assertThat(AuthorizationHeader.parse(header)).isEmpty();
    }
}
