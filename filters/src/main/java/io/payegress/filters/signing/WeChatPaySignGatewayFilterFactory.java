package io.payegress.filters.signing;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import reactor.core.scheduler.Scheduler;

/**
 * YAML {@code WeChatPaySign}: signs each attempt with the merchant key (WECHATPAY2-SHA256-RSA2048). Every route's
 * filter shares the one signing scheduler and so the one backlog that bounds its queue.
 */
public final class WeChatPaySignGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final MerchantKeySource keys;
    private final RequestSigner signer;
    private final Scheduler signingScheduler;
    private final SigningBacklog backlog;
    private final SigningMetrics metrics;

    public WeChatPaySignGatewayFilterFactory(
            MerchantKeySource keys,
            RequestSigner signer,
            Scheduler signingScheduler,
            SigningBacklog backlog,
            MeterRegistry meters) {
        super(Object.class);
        this.keys = keys;
        this.signer = signer;
        this.signingScheduler = signingScheduler;
        this.backlog = backlog;
        this.metrics = new SigningMetrics(meters, backlog);
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new WeChatPaySignFilter(keys, signer, signingScheduler, backlog, metrics);
    }
}
