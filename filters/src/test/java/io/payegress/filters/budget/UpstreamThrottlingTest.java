package io.payegress.filters.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.filters.error.GatewayCode;
import io.payegress.filters.error.GatewayRejection;
import io.payegress.filters.error.UpstreamFailure;
import io.payegress.filters.error.UpstreamOutcome;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamThrottlingTest {

    static UpstreamFailure answered(int status, String code) {
        return new UpstreamFailure(new UpstreamOutcome.Answered(status, code, null, null, null));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("429 without a code", answered(429, null), true),
                Arguments.of("429 FREQUENCY_LIMITED", answered(429, "FREQUENCY_LIMITED"), true),
                Arguments.of("403 FREQUENCY_LIMIT_EXCEED", answered(403, "FREQUENCY_LIMIT_EXCEED"), true),
                Arguments.of("400 RATELIMIT_EXCEEDED", answered(400, "RATELIMIT_EXCEEDED"), true),
                Arguments.of("500 SYSTEM_ERROR", answered(500, "SYSTEM_ERROR"), false),
                Arguments.of("unreachable", new UpstreamFailure(new UpstreamOutcome.Unreachable("refused")), false),
                Arguments.of("the gateway's own 429", new GatewayRejection(GatewayCode.RATE_LIMITED, "x"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void recognisesUpstreamThrottling(String name, Throwable failure, boolean throttling) {
        assertThat(UpstreamThrottling.isThrottling(failure)).isEqualTo(throttling);
    }
}
