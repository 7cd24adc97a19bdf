package io.payegress.simulator;

import io.payegress.simulator.coupon.CouponSeed;
import io.payegress.simulator.coupon.ResendBehaviour;
import io.payegress.simulator.signing.KeyMaterial;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone entry point ({@code java -jar payegress-simulator-*-exec.jar}): builds a {@link SimulatorConfig} from
 * {@link StandaloneOptions}, generating the platform key (and, on request, a merchant key) when none is given and
 * writing the public or private half to the named file so a gateway can use it. Logs one line with the URL.
 */
public final class SimulatorMain {

    private static final String LOGBACK_PROPERTY = "logback.configurationFile";
    private static final int DEFAULT_PORT = 8090;

    private SimulatorMain() {}

    public static void main(String[] args) {
        if (System.getProperty(LOGBACK_PROPERTY) == null) {
            System.setProperty(LOGBACK_PROPERTY, "payegress-simulator-logback.xml");
        }
        WeChatPaySimulator simulator = start(args, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "sim-shutdown"));
        simulator.onDispose().block();
    }

    /** Starts a simulator from arguments and environment and returns it running (used by main and by tests). */
    public static WeChatPaySimulator start(String[] args, Map<String, String> env) {
        StandaloneOptions options = StandaloneOptions.parse(args, env);
        SimulatorConfig.Builder builder = SimulatorConfig.builder()
                .host(options.get("host", "0.0.0.0"))
                .port(options.integer("port", DEFAULT_PORT))
                .limitPerSecond(options.integer("limit", SimulatorConfig.DEFAULT_LIMIT))
                .seed(options.flag("demo-seed", true) ? CouponSeed.demo() : CouponSeed.empty())
                .resend(ResendBehaviour.parse(options.get("resend", "replay")))
                .acceptUnsignedAs(
                        options.flag("accept-unsigned", false)
                                ? options.get("merchant-id", CouponSeed.DEMO_MCHID)
                                : null);
        platformKey(options, builder);
        merchantKey(options, builder);
        WeChatPaySimulator simulator = WeChatPaySimulator.start(builder.build());
        log().info(
                        "WeChat Pay simulator listening on {} (platform key id {}, limit {}/s, resent use_request_no: {})",
                        simulator.baseUrl(),
                        simulator.platformPublicKeyId(),
                        simulator.stats().limitPerSecond(),
                        simulator.resend());
        return simulator;
    }

    private static Logger log() {
        return LoggerFactory.getLogger(SimulatorMain.class);
    }

    private static void platformKey(StandaloneOptions options, SimulatorConfig.Builder builder) {
        String privateKey = options.get("platform-private-key");
        if (privateKey != null) {
            builder.platformKey(
                    KeyMaterial.readPrivateKey(Path.of(privateKey)),
                    options.get("platform-public-key-id", KeyMaterial.randomPublicKeyId()));
            return;
        }
        KeyMaterial generated = KeyMaterial.generatePlatform();
        String keyId = options.get("platform-public-key-id", generated.serial());
        builder.platformKey(generated.privateKey(), keyId);
        String out = options.get("platform-public-key-out");
        if (out != null) {
            generated.writePublicKeyPem(Path.of(out));
            log().info("generated platform key {}: public key written to {}", keyId, out);
        }
    }

    private static void merchantKey(StandaloneOptions options, SimulatorConfig.Builder builder) {
        String mchid = options.get("merchant-id", CouponSeed.DEMO_MCHID);
        String publicKey = options.get("merchant-public-key");
        if (publicKey != null) {
            String serial = options.get("merchant-serial");
            if (serial == null) {
                throw new IllegalArgumentException("merchant-serial is required with merchant-public-key");
            }
            builder.merchantKey(mchid, serial, KeyMaterial.readPublicKey(Path.of(publicKey)));
            return;
        }
        String out = options.get("merchant-private-key-out");
        if (out == null) {
            log().warn(
                            "no merchant key configured: every API call will answer 401 until one is added via /__sim/merchants");
            return;
        }
        KeyMaterial generated = KeyMaterial.generate();
        String serial = options.get("merchant-serial", generated.serial());
        generated.writePrivateKeyPem(Path.of(out));
        builder.merchantKey(mchid, serial, generated.publicKey());
        log().info("generated merchant key for {} serial {}: private key written to {}", mchid, serial, out);
    }
}
