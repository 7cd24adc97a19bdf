package io.payegress.gateway.config;

import io.payegress.filters.signing.MerchantKeySource;
import io.payegress.filters.signing.PemFileMerchantKeySource;
import io.payegress.filters.signing.PemKeys;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.WeChatPayKeyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The merchant's signing key (from a PEM file, reloaded on change) and the WeChat Pay keys answers must verify with. */
@Configuration(proxyBeanMethods = false)
public class WeChatPayKeysConfiguration {

    @Bean
    MerchantKeySource merchantKeySource(WeChatPayProperties wechatpay, Clock clock) {
        return new PemFileMerchantKeySource(
                wechatpay.merchantId(),
                wechatpay.privateKeyFile(),
                wechatpay.certificateFile(),
                wechatpay.serialNo(),
                wechatpay.keyCheckInterval(),
                clock);
    }

    @Bean
    WeChatPayKeyring weChatPayKeyring(WeChatPayProperties wechatpay) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (WeChatPayProperties.PlatformKey key : wechatpay.platformKeys()) {
            keys.put(key.id(), PemKeys.publicKey(read(key)));
        }
        return new WeChatPayKeyring(keys);
    }

    @Bean
    ResponseVerifier responseVerifier(WeChatPayKeyring keyring, WeChatPayProperties wechatpay, Clock clock) {
        return new ResponseVerifier(keyring, clock, wechatpay.maxClockSkew());
    }

    private static String read(WeChatPayProperties.PlatformKey key) {
        try {
            return Files.readString(key.publicKeyFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read WeChat Pay public key " + key.id(), e);
        }
    }
}
