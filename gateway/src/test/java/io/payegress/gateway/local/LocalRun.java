package io.payegress.gateway.local;

import io.payegress.gateway.support.GatewayInstance;
import io.payegress.gateway.support.PaymentTestBed;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local run: an embedded WeChat Pay simulator with the demo seed and fresh demo keys, and the gateway on
 * http://localhost:8080 with the demo tenants, in-memory state and no Redis. Lives in the test tree, so the
 * production jar holds none of it.
 */
public final class LocalRun {

    private LocalRun() {}

    public static void main(String[] args) {
        int gatewayPort = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        int simulatorPort = Integer.parseInt(System.getenv().getOrDefault("SIMULATOR_PORT", "8090"));
        PaymentTestBed bed = PaymentTestBed.start(Path.of("target", "local-run", "keys"), simulatorPort);
        Map<String, Object> properties = withPort(bed.gatewayProperties(), gatewayPort);
        properties.remove(PaymentTestBed.TEST_SAFETY_MARGIN);
        properties.remove(PaymentTestBed.TEST_LATE_TOLERANCE);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                properties.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        GatewayInstance gateway = GatewayInstance.start(properties, "local");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            bed.close();
        }));
        System.out.printf(
                "%npayegress local run: gateway %s, simulator %s (admin: %s/__sim/stats)%n"
                        + "try: curl -s -i %s%s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '%s'%n%n",
                gateway.baseUrl(),
                bed.simulator().baseUrl(),
                bed.simulator().baseUrl(),
                gateway.baseUrl(),
                PaymentTestBed.USE_PATH,
                PaymentTestBed.DEMO_API_KEY,
                PaymentTestBed.SEED_BODY);
    }

    private static Map<String, Object> withPort(Map<String, Object> properties, int port) {
        properties.put("server.port", Integer.toString(port));
        return properties;
    }
}
