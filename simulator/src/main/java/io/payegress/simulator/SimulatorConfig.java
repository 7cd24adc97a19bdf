package io.payegress.simulator;

import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.signing.KeyMaterial;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link WeChatPaySimulator} runs: bind address, the clock for the 5-minute window and response timestamps,
 * the nanosecond ticker for the rate-limit window (real time by default), the platform signing key and its public-key
 * id, the merchants' public keys (mchid to serial to key), the limit, the coupon seed, how many requests to keep,
 * the merchant unsigned calls are taken for (null: every call must be signed, as at WeChat), what a resent
 * use_request_no gets, and the seed of the random faults.
 */
public record SimulatorConfig(
        String host,
        int port,
        Clock clock,
        LongSupplier ticker,
        PrivateKey platformPrivateKey,
        String platformPublicKeyId,
        Map<String, Map<String, PublicKey>> merchants,
        int limitPerSecond,
        CouponSeed seed,
        int recordedRequests,
        @Nullable String unsignedMerchant,
        ResendBehaviour resend,
        long faultSeed) {

    public static final int DEFAULT_LIMIT = 500;
    public static final int DEFAULT_RECORDED_REQUESTS = 1000;

    public SimulatorConfig {
        Map<String, Map<String, PublicKey>> copy = new LinkedHashMap<>();
        merchants.forEach((mchid, serials) -> copy.put(mchid, Map.copyOf(serials)));
        merchants = Map.copyOf(copy);
        if (port < 0 || limitPerSecond < 0 || recordedRequests < 0) {
            throw new IllegalArgumentException("port, limitPerSecond and recordedRequests must be >= 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset for the demo: the given platform key, the demo merchant {@value CouponSeed#DEMO_MCHID} signing
     * with {@code merchant}'s key under its serial, and the demo seed.
     */
    public static Builder demo(KeyMaterial platform, KeyMaterial merchant) {
        return builder()
                .platformKey(platform.privateKey(), platform.serial())
                .merchantKey(CouponSeed.DEMO_MCHID, merchant.serial(), merchant.publicKey())
                .seed(CouponSeed.demo());
    }

    /** Builds a {@link SimulatorConfig}; without a platform key it generates one under a random public-key id. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;
        private @Nullable PrivateKey platformKey;
        private @Nullable String platformKeyId;
        private final Map<String, Map<String, PublicKey>> merchants = new LinkedHashMap<>();
        private int limitPerSecond = DEFAULT_LIMIT;
        private CouponSeed seed = CouponSeed.demo();
        private int recordedRequests = DEFAULT_RECORDED_REQUESTS;
        private @Nullable String unsignedMerchant;
        private ResendBehaviour resend = ResendBehaviour.REPLAY;
        private long faultSeed = 20_150_520L;

        private Builder() {}

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** The port to bind; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** The nanosecond time source of the rate-limit window; tests pass a manual one. */
        public Builder ticker(LongSupplier value) {
            this.ticker = value;
            return this;
        }

        public Builder platformKey(PrivateKey key, String publicKeyId) {
            this.platformKey = key;
            this.platformKeyId = publicKeyId;
            return this;
        }

        public Builder merchantKey(String mchid, String serialNo, PublicKey key) {
            merchants.computeIfAbsent(mchid, id -> new LinkedHashMap<>()).put(serialNo, key);
            return this;
        }

        public Builder limitPerSecond(int value) {
            this.limitPerSecond = value;
            return this;
        }

        public Builder seed(CouponSeed value) {
            this.seed = value;
            return this;
        }

        /**
         * Accepts API calls that carry no WeChat Pay signature as calls of merchant {@code mchid} (signed calls are
         * still verified). Only for the benchmark row of a gateway that does not sign (stock Spring Cloud Gateway);
         * WeChat never does this.
         */
        public Builder acceptUnsignedAs(@Nullable String mchid) {
            this.unsignedMerchant = mchid;
            return this;
        }

        /** What a resent use_request_no of a redeemed coupon gets (WeChat does not document it); default REPLAY. */
        public Builder resend(ResendBehaviour value) {
            this.resend = value;
            return this;
        }

        /** The seed of the random draws of faults armed with a probability, so that a run can be repeated. */
        public Builder faultSeed(long value) {
            this.faultSeed = value;
            return this;
        }

        public Builder recordedRequests(int value) {
            this.recordedRequests = value;
            return this;
        }

        public SimulatorConfig build() {
            PrivateKey key = platformKey;
            String keyId = platformKeyId;
            if (key == null || keyId == null) {
                KeyMaterial generated = KeyMaterial.generatePlatform();
                key = generated.privateKey();
                keyId = generated.serial();
            }
            return new SimulatorConfig(
                    host,
                    port,
                    clock,
                    ticker,
                    key,
                    keyId,
                    merchants,
                    limitPerSecond,
                    seed,
                    recordedRequests,
                    unsignedMerchant,
                    resend,
                    faultSeed);
        }
    }
}
