package io.payegress.filters.signing;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import reactor.core.scheduler.Scheduler;

/** YAML {@code WeChatPaySign}: signs each attempt with the merchant key (WECHATPAY2-SHA256-RSA2048). */
public final class WeChatPaySignGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final MerchantKeySource keys;
    private final RequestSigner signer;
    private final Scheduler signingScheduler;

    public WeChatPaySignGatewayFilterFactory(MerchantKeySource keys, RequestSigner signer, Scheduler signingScheduler) {
        super(Object.class);
        this.keys = keys;
        this.signer = signer;
        this.signingScheduler = signingScheduler;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new WeChatPaySignFilter(keys, signer, signingScheduler);
    }
}
