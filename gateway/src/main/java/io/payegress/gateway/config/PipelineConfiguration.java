package io.payegress.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.auth.AuthenticateGatewayFilterFactory;
import io.payegress.filters.body.RequestBodyGatewayFilterFactory;
import io.payegress.filters.context.RequestContextGatewayFilterFactory;
import io.payegress.filters.error.ErrorNormalizationGatewayFilterFactory;
import io.payegress.filters.error.MerchantErrorResponder;
import io.payegress.filters.forward.WeChatPayForwardGatewayFilterFactory;
import io.payegress.filters.retry.UpstreamRetryGatewayFilterFactory;
import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.NonceGenerator;
import io.payegress.filters.signing.RequestSigner;
import io.payegress.filters.signing.SigningAdmissionGatewayFilterFactory;
import io.payegress.filters.signing.SigningBacklog;
import io.payegress.filters.signing.WeChatPaySignGatewayFilterFactory;
import io.payegress.filters.tenant.TenantDirectory;
import io.payegress.filters.validation.PayloadValidationGatewayFilterFactory;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.gateway.tenants.ConfiguredTenantDirectory;
import io.payegress.gateway.tenants.TenantProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment pipeline's filter factories. Their order is not decided here but in
 * {@link io.payegress.filters.pipeline.PipelineStage}; the routes in application.yml name them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WeChatPayProperties.class, TenantProperties.class, SigningProperties.class})
public class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TenantDirectory tenantDirectory(TenantProperties properties) {
        return new ConfiguredTenantDirectory(properties);
    }

    @Bean
    ErrorNormalizationGatewayFilterFactory errorNormalizationGatewayFilterFactory(MerchantErrorResponder responder) {
        return new ErrorNormalizationGatewayFilterFactory(responder);
    }

    @Bean
    RequestContextGatewayFilterFactory requestContextGatewayFilterFactory(Clock clock) {
        return new RequestContextGatewayFilterFactory(clock);
    }

    @Bean
    AuthenticateGatewayFilterFactory authenticateGatewayFilterFactory(TenantDirectory tenants) {
        return new AuthenticateGatewayFilterFactory(tenants);
    }

    @Bean
    RequestBodyGatewayFilterFactory requestBodyGatewayFilterFactory() {
        return new RequestBodyGatewayFilterFactory();
    }

    @Bean
    PayloadValidationGatewayFilterFactory payloadValidationGatewayFilterFactory(
            ResourceLoader resources, MeterRegistry meters) {
        return new PayloadValidationGatewayFilterFactory(resources, meters);
    }

    @Bean
    UpstreamRetryGatewayFilterFactory upstreamRetryGatewayFilterFactory(Clock clock) {
        return new UpstreamRetryGatewayFilterFactory(clock);
    }

    /**
     * Disposed at bean destruction, after the shutdown has drained every request and stopped the web server
     * ({@link io.payegress.gateway.shutdown}): no request is waiting to be signed by then.
     */
    @Bean(destroyMethod = "dispose")
    Scheduler signingScheduler(ThreadPriorities priorities) {
        return Schedulers.newParallel(Runtime.getRuntime().availableProcessors(), priorities.bulk("payegress-sign"));
    }

    /** Which threads run first on a busy machine: {@link ThreadPriorities}. */
    @Bean
    ThreadPriorities threadPriorities() {
        return ThreadPriorities.detect();
    }

    /**
     * The server's event loops are bulk work: behind WeChat's loop and the budget's timers, where the
     * latter cannot go ahead ({@link ThreadPriorities}). A context without Reactor Netty's resources (no web server) has
     * none.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> serverLoopPriorities(
            ThreadPriorities priorities, ObjectProvider<ReactorResourceFactory> resources) {
        return ready -> resources.ifAvailable(
                factory -> priorities.bulk(factory.getLoopResources().onServer(true)));
    }

    /** Bounds the signing scheduler's queue, which is itself unbounded; one per replica, shared by every route. */
    @Bean
    SigningBacklog signingBacklog(SigningProperties signing, Clock clock) {
        return new SigningBacklog(
                signing.settings(),
                System::nanoTime,
                clock,
                Runtime.getRuntime().availableProcessors());
    }

    @Bean
    SigningAdmissionGatewayFilterFactory signingAdmissionGatewayFilterFactory(
            SigningBacklog signingBacklog, MeterRegistry meters, Clock clock) {
        return new SigningAdmissionGatewayFilterFactory(signingBacklog, meters, clock);
    }

    @Bean
    WeChatPaySignGatewayFilterFactory weChatPaySignGatewayFilterFactory(
            MerchantKeySource keys,
            Clock clock,
            Scheduler signingScheduler,
            SigningBacklog signingBacklog,
            MeterRegistry meters) {
        return new WeChatPaySignGatewayFilterFactory(
                keys, new RequestSigner(clock, new NonceGenerator()), signingScheduler, signingBacklog, meters);
    }

    /**
     * The event loop WeChat's connections run on, apart from the server's. A granted request is written on its
     * connection's loop right at its slot; on the server's loops it waited its turn behind every incoming request's
     * parsing, validation and refusal: at five times the limit on the 2-core bench it left 240-250 ms after its slot,
     * time each grant counts against the limit unused, against 130-165 ms on a loop of its own (at twice the limit no
     * difference was measured). This loop does little else, so the scheduler runs it soon after it wakes. Disposed at
     * bean destruction, after the shutdown has drained every request.
     */
    @Bean(destroyMethod = "dispose")
    LoopResources upstreamLoops(WeChatPayProperties wechatpay, ThreadPriorities priorities) {
        LoopResources loops = LoopResources.create("payegress-upstream", wechatpay.upstreamEventLoops(), true);
        priorities.latencyCritical(loops);
        return loops;
    }

    @Bean
    WeChatPayForwardGatewayFilterFactory weChatPayForwardGatewayFilterFactory(
            HttpClient gatewayHttpClient,
            LoopResources upstreamLoops,
            ResponseVerifier verifier,
            JsonMapper json,
            MeterRegistry meters,
            WeChatPayProperties wechatpay) {
        return new WeChatPayForwardGatewayFilterFactory(
                gatewayHttpClient.runOn(upstreamLoops),
                verifier,
                json,
                meters,
                wechatpay.userAgent(),
                wechatpay.publicKeyId());
    }
}
