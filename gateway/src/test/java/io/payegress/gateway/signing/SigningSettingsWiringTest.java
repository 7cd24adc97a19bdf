package io.payegress.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payegress.filters.error.ErrorAnswer;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.error.PaymentFailure;
import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.SigningBacklog;
import io.payegress.filters.signing.SigningSettings;
import io.payegress.filters.signing.WeChatPaySignGatewayFilterFactory;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.WeChatPayKeyring;
import io.payegress.gateway.config.PipelineConfiguration;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/** How {@code payegress.signing.*} reaches the signing stage: defaults, overrides, and bounds refused at startup. */
class SigningSettingsWiringTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PipelineConfiguration.class)
            .withPropertyValues(
                    "payegress.wechatpay.merchant-id=1900000001",
                    "payegress.wechatpay.private-key-file=/etc/payegress/keys/apiclient_key.pem",
                    "payegress.wechatpay.platform-keys[0].id=PUB_KEY_ID_0001",
                    "payegress.wechatpay.platform-keys[0].public-key-file=/etc/payegress/keys/wechatpay.pem")
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
            .withBean(HttpClient.class, HttpClient::create)
            .withBean(MerchantKeySource.class, () -> () -> {
                throw new IllegalStateException("no signing in a wiring test");
            })
            .withBean(
                    ResponseVerifier.class,
                    () -> new ResponseVerifier(
                            new WeChatPayKeyring(Map.of("PUB_KEY_ID_0001", publicKey())),
                            Clock.systemUTC(),
                            ResponseVerifier.DEFAULT_MAX_SKEW))
            .withBean(MerchantErrorResponder.class, NoResponder::new);

    @Test
    void boundsTheSigningBacklogByDefaultToOneSecondLeftAndTwoHundredFiftyPending() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(WeChatPaySignGatewayFilterFactory.class);
            assertThat(context.getBean(SigningBacklog.class).settings())
                    .isEqualTo(new SigningSettings(Duration.ofSeconds(1), 250));
        });
    }

    @Test
    void bindsMinTimeLeftAndMaxPendingAndExposesThePendingGauge() {
        runner.withPropertyValues("payegress.signing.min-time-left=250ms", "payegress.signing.max-pending=20")
                .run(context -> {
                    SigningBacklog backlog = context.getBean(SigningBacklog.class);
                    assertThat(backlog.settings()).isEqualTo(new SigningSettings(Duration.ofMillis(250), 20));
                    backlog.arrive(null);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("payegress.signing.pending")
                                    .gauge()
                                    .value())
                            .isEqualTo(1.0);
                });
    }

    @Test
    void refusesToStartWithMaxPendingBelowOne() {
        runner.withPropertyValues("payegress.signing.max-pending=0")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("maxPending"));
    }

    @Test
    void refusesToStartWithANegativeMinTimeLeft() {
        runner.withPropertyValues("payegress.signing.min-time-left=-1s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("min-time-left must not be negative"));
    }

    @Test
    void acceptsAZeroMinTimeLeft() {
        runner.withPropertyValues("payegress.signing.min-time-left=0s")
                .run(context -> assertThat(
                                context.getBean(SigningBacklog.class).settings().minTimeLeft())
                        .isZero());
    }

    private static PublicKey publicKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPublic();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signing wiring never renders an error. */
    private static final class NoResponder implements MerchantErrorResponder {
        @Override
        public boolean retryable(ServerWebExchange exchange, PaymentFailure failure) {
            return false;
        }

        @Override
        public Mono<Void> write(ServerWebExchange exchange, PaymentFailure failure) {
            return Mono.empty();
        }

        @Override
        public ErrorAnswer answer(
                @Nullable String route, String requestId, @Nullable String acceptLanguage, PaymentFailure failure) {
            throw new AssertionError("the signing wiring renders no error");
        }
    }
}
