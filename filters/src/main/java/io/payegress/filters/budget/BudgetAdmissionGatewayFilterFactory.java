package io.payegress.filters.budget;

import io.payegress.filters.pipeline.PaymentExchange;
import io.payegress.filters.pipeline.PipelineStage;
import io.payegress.filters.tenant.Tenant;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import reactor.core.publisher.Mono;

/**
 * {@code BudgetAdmission=<budget name>} in route YAML: sheds load early. When the store said the request's tenant
 * offers more than its share of the named budget's limit and its requests ahead (queued, or admitted here and still on
 * their way to the queue: being read, validated, deduped or signed) are what the budget can grant it while they make
 * their way and then within half of max-wait ({@link BudgetLimiter#admissible}), the request is refused at once with
 * 429 RATE_LIMITED and Retry-After, before its body is read and before the signing admission takes a place for it
 * ({@link PipelineStage#ADMISSION}); otherwise it passes on, counted as ahead of later ones until the budget stage
 * answers it. Admitted or not, it counts towards what its tenant offers.
 */
public final class BudgetAdmissionGatewayFilterFactory
        extends AbstractGatewayFilterFactory<BudgetAdmissionGatewayFilterFactory.Config> {

    private final BudgetLimiters limiters;

    public BudgetAdmissionGatewayFilterFactory(BudgetLimiters limiters) {
        super(Config.class);
        this.limiters = limiters;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("name");
    }

    @Override
    public GatewayFilter apply(Config config) {
        String name = config.getName();
        GatewayFilter filter = (exchange, chain) -> {
            PaymentExchange.reached(exchange, PipelineStage.ADMISSION);
            Tenant tenant = PaymentExchange.requireTenant(exchange);
            BudgetLimiter limiter = limiters.find(name).orElse(null);
            if (limiter == null) {
                return chain.filter(exchange);
            }
            AdmissionTicket ticket = limiter.admit(tenant, PaymentExchange.sinceArrivalNanos(exchange));
            if (ticket != null) {
                ticket.attach(exchange);
                return chain.filter(exchange).doFinally(signal -> ticket.close());
            }
            limiter.shed(PaymentExchange.routeId(exchange), tenant);
            return Mono.error(BudgetLimiter.shedAtAdmission());
        };
        return new OrderedGatewayFilter(filter, PipelineStage.ADMISSION.order());
    }

    /** The route's argument: the name of the budget to admit against (the Budget filter's {@code name}). */
    public static final class Config {

        private String name = "default";

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }
}
