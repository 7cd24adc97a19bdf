package io.payegress.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code payegress.wechatpay.*}: the merchant identity the gateway signs as and the WeChat Pay keys it trusts.
 *
 * @param baseUrl WeChat Pay's API host; routes use it as their URI
 * @param merchantId the service provider's mchid, put in every Authorization header
 * @param privateKeyFile the merchant API private key (PKCS#8 PEM), re-read when the file changes
 * @param certificateFile the merchant API certificate (PEM); its serial is sent as serial_no
 * @param serialNo the merchant API certificate serial, when no certificate file is mounted
 * @param keyCheckInterval how often, at most, the key files are checked for a rotation
 * @param publicKeyId the WeChat Pay public-key id sent as Wechatpay-Serial (pins the answer-signing key)
 * @param platformKeys the WeChat Pay public keys answers may be signed with, by id (several during rotation)
 * @param maxClockSkew how far an answer's Wechatpay-Timestamp may be from the gateway's clock
 * @param userAgent the User-Agent sent to WeChat Pay (required by WeChat)
 * @param upstreamEventLoops the event loops WeChat's connections run on, apart from the server's (one carries the
 *     whole limit: it writes granted requests and reads their answers)
 */
@Validated
@ConfigurationProperties("payegress.wechatpay")
public record WeChatPayProperties(
        @DefaultValue("https://api.mch.weixin.qq.com") URI baseUrl,
        @NotBlank String merchantId,
        @NotNull Path privateKeyFile,
        @Nullable Path certificateFile,
        @Nullable String serialNo,
        @DefaultValue("10s") Duration keyCheckInterval,
        @Nullable String publicKeyId,
        @NotEmpty List<@Valid PlatformKey> platformKeys,
        @DefaultValue("5m") Duration maxClockSkew,

        @DefaultValue("payegress/0.1 (+https://github.com/payegress)")
        String userAgent,

        @DefaultValue("1") @Positive int upstreamEventLoops) {

    /** One trusted WeChat Pay public key: its id (PUB_KEY_ID_... or platform certificate serial) and PEM file. */
    public record PlatformKey(@NotBlank String id, @NotNull Path publicKeyFile) {}
}
