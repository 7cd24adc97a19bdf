package io.payegress.filters.signing.bench;

import io.payegress.filters.signing.MerchantCredentials;
import io.payegress.filters.signing.NonceGenerator;
import io.payegress.filters.signing.RequestSigner;
import io.payegress.filters.verification.ResponseVerifier;
import io.payegress.filters.verification.Verdict;
import io.payegress.filters.verification.WeChatPayKeyring;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of signing a coupons/use request and verifying a coupons/use response with RSA-2048, one thread.
 * {@link #jdkSignBaseline()} is the bare JDK cost, to show what the signer adds. Run from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -pl filters test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test.classpath \
 *   &amp;&amp; java -cp filters/target/test-classes:filters/target/classes:$(cat filters/target/test.classpath) \
 *     io.payegress.filters.signing.bench.SigningBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SigningBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final String SERIAL = "PUB_KEY_ID_0114232134912410000000000000000001";
    private static final String URL = "/v3/marketing/busifavor/coupons/use";
    private static final byte[] REQUEST = ("{\"coupon_code\":\"sxxe34343434\",\"stock_id\":\"100088\","
                    + "\"appid\":\"wx1234567890abcdef\",\"use_time\":\"2026-11-27T13:29:35+08:00\","
                    + "\"use_request_no\":\"1002600620019090123143254436\",\"openid\":\"oX-1a2b3c4d5e6f\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSE = ("{\"stock_id\":\"100088\",\"openid\":\"oX-1a2b3c4d5e6f\","
                    + "\"wechatpay_use_time\":\"2026-11-27T13:29:36+08:00\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242";

    private KeyPair merchant;
    private MerchantCredentials credentials;
    private RequestSigner signer;
    private ResponseVerifier verifier;
    private String timestamp;
    private String responseSignature;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        merchant = generator.generateKeyPair();
        KeyPair wechat = generator.generateKeyPair();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        credentials = new MerchantCredentials(
                "1900000001", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", merchant.getPrivate());
        signer = new RequestSigner(clock, new NonceGenerator());
        verifier = new ResponseVerifier(
                new WeChatPayKeyring(Map.of(SERIAL, wechat.getPublic())), clock, ResponseVerifier.DEFAULT_MAX_SKEW);
        timestamp = Long.toString(NOW.getEpochSecond());
        byte[] message = (timestamp + "\n" + NONCE + "\n" + new String(RESPONSE, StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(wechat.getPrivate());
        signature.update(message);
        responseSignature = Base64.getEncoder().encodeToString(signature.sign());
        if (!verify().valid()) {
            throw new IllegalStateException("benchmark response does not verify: " + verify().reason());
        }
    }

    @Benchmark
    public String authorization() {
        return signer.authorization(credentials, "POST", URL, REQUEST);
    }

    /** Baseline: the bare JDK SHA256withRSA signature over a message of the same size, without header building. */
    @Benchmark
    public byte[] jdkSignBaseline() throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(merchant.getPrivate());
        signature.update(REQUEST);
        return signature.sign();
    }

    @Benchmark
    public Verdict verify() {
        return verifier.verify(timestamp, NONCE, responseSignature, SERIAL, RESPONSE);
    }

    /** Runs both benchmarks with the annotated settings (1 fork, 2 x 2 s warm-up, 3 x 2 s measurement). */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder()
                        .include(SigningBenchmark.class.getName())
                        .build())
                .run();
    }
}
