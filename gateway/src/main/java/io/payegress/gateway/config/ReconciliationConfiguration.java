package io.payegress.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.payegress.filters.budget.BudgetLimiters;
import io.payegress.filters.reconciliation.CouponQueryClient;
import io.payegress.filters.reconciliation.LateReconciler;
import io.payegress.filters.reconciliation.QuerySigning;
import io.payegress.filters.reconciliation.ReconciliationGatewayFilterFactory;
import io.payegress.filters.reconciliation.ReconciliationMetrics;
import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.NonceGenerator;
import io.payegress.filters.signing.RequestSigner;
import io.payegress.filters.verification.ResponseVerifier;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reconciliation of ambiguous redemptions: the coupon query (signed with the merchant key on the signing scheduler,
 * within its own shared budget, its answers verified with the WeChat Pay keys), the route stage that checks
 * RESOURCE_ALREADY_EXISTS, and the late checks of unknown outcomes the dedupe stage hands over.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconciliationProperties.class)
public class ReconciliationConfiguration {

    @Bean
    ReconciliationMetrics reconciliationMetrics(MeterRegistry meters) {
        return new ReconciliationMetrics(meters);
    }

    @Bean
    CouponQueryClient couponQueryClient(
            HttpClient gatewayHttpClient,
            MerchantKeySource keys,
            Clock clock,
            Scheduler signingScheduler,
            ResponseVerifier verifier,
            BudgetLimiters budgets,
            ReconciliationProperties reconciliation,
            WeChatPayProperties wechatpay,
            JsonMapper json) {
        ReconciliationProperties.Query query = reconciliation.query();
        return new CouponQueryClient(
                gatewayHttpClient,
                new QuerySigning(keys, new RequestSigner(clock, new NonceGenerator()), signingScheduler),
                verifier,
                budgets.limiter(query.budgetSettings()),
                query.settings(wechatpay.userAgent(), wechatpay.publicKeyId()),
                json,
                clock);
    }

    @Bean(destroyMethod = "close")
    LateReconciler lateReconciler(
            CouponQueryClient queries,
            ReconciliationMetrics metrics,
            JsonMapper json,
            Clock clock,
            ReconciliationProperties reconciliation) {
        return new LateReconciler(queries, metrics, json, clock, reconciliation.maxPending());
    }

    @Bean
    ReconciliationGatewayFilterFactory reconciliationGatewayFilterFactory(
            CouponQueryClient queries,
            ReconciliationMetrics metrics,
            JsonMapper json,
            Clock clock,
            ReconciliationProperties reconciliation) {
        return new ReconciliationGatewayFilterFactory(queries, metrics, json, clock, reconciliation.verification());
    }
}
