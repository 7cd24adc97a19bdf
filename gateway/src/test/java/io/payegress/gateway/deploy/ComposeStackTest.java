package io.payegress.gateway.deploy;

import static io.payegress.gateway.deploy.RenderedChart.at;
import static io.payegress.gateway.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compose stack and the images hang together (no Docker here to run them): the gateways trust exactly the keys
 * the simulator generates, Redis cannot evict dedupe records, Prometheus loads the tested rules, Grafana the dashboard.
 */
class ComposeStackTest {

    private static final Path DEPLOY = RepositoryFiles.root().resolve("deploy");

    @Test
    void gatewaysUseTheKeysAndIdsTheSimulatorGenerates() throws IOException {
        Map<String, Object> simulator = service("simulator");
        Map<String, Object> simEnv = map(simulator, "environment");
        Map<String, Object> wechatpay = map(yaml("gateway.yml"), "payegress.wechatpay");

        assertThat(wechatpay.get("merchant-id")).isEqualTo(simEnv.get("SIM_MERCHANT_ID"));
        assertThat(wechatpay.get("serial-no")).isEqualTo(simEnv.get("SIM_MERCHANT_SERIAL"));
        assertThat(wechatpay.get("private-key-file")).isEqualTo(simEnv.get("SIM_MERCHANT_PRIVATE_KEY_OUT"));
        assertThat(wechatpay.get("public-key-id")).isEqualTo(simEnv.get("SIM_PLATFORM_PUBLIC_KEY_ID"));
        assertThat(at(wechatpay, "platform-keys.0.id")).isEqualTo(simEnv.get("SIM_PLATFORM_PUBLIC_KEY_ID"));
        assertThat(at(wechatpay, "platform-keys.0.public-key-file"))
                .isEqualTo(simEnv.get("SIM_PLATFORM_PUBLIC_KEY_OUT"));
        assertThat(strings(service("gateway").get("volumes"))).contains("keys:/keys:ro");
        assertThat(strings(simulator.get("volumes"))).contains("keys:/keys");
    }

    @Test
    void threeReadOnlyGatewayReplicasShareOneRedisThatNeverEvicts() throws IOException {
        Map<String, Object> gateway = service("gateway");

        assertThat(at(gateway, "deploy.replicas")).isEqualTo(3);
        assertThat(gateway.get("read_only")).isEqualTo(true);
        assertThat(at(yaml("gateway.yml"), "spring.data.redis.host")).isEqualTo("redis");
        assertThat(String.join(" ", strings(service("redis").get("command"))))
                .contains("--maxmemory-policy noeviction")
                .contains("--appendonly yes");
    }

    @Test
    void demoTenantIsConfiguredByHashOnly() throws IOException {
        String tenants = Files.readString(DEPLOY.resolve("tenants.yml"));

        assertThat(at(yaml("tenants.yml"), "payegress.tenants.store-001.api-key-sha256.0"))
                .asString()
                .matches("[0-9a-f]{64}");
        assertThat(tenants.lines().filter(l -> !l.trim().startsWith("#"))).noneMatch(l -> l.contains("local-demo-key"));
    }

    @Test
    void prometheusLoadsTheTestedRulesAndScrapesTheGateways() throws IOException {
        assertThat(strings(service("prometheus").get("volumes")))
                .contains("./prometheus/rules.yml:/etc/prometheus/rules.yml:ro");
        Map<String, Object> prometheus = yaml("prometheus/prometheus.yml");
        assertThat(at(prometheus, "rule_files.0")).isEqualTo("/etc/prometheus/rules.yml");
        assertThat(at(prometheus, "scrape_configs.0.metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(at(prometheus, "scrape_configs.0.dns_sd_configs.0.names.0")).isEqualTo("gateway");
    }

    @Test
    void grafanaProvisionsTheDashboardWhosePanelsAllQueryPayegressMetrics() throws IOException {
        assertThat(strings(service("grafana").get("volumes")))
                .contains("./grafana/payegress.json:/var/lib/grafana/dashboards/payegress.json:ro");
        assertThat(at(yaml("grafana/provisioning/dashboards/payegress.yml"), "providers.0.options.path"))
                .isEqualTo("/var/lib/grafana/dashboards");
        JsonNode dashboard = JsonMapper.builder()
                .build()
                .readTree(DEPLOY.resolve("grafana/payegress.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (!"row".equals(panel.get("type").asString())) {
                assertThat(panel.get("targets"))
                        .as(panel.get("title").asString())
                        .isNotEmpty();
                panel.get("targets").forEach(t -> exprs.add(t.get("expr").asString()));
            }
        }
        assertThat(exprs).allMatch(e -> e.contains("payegress") || e.contains("spring_cloud_gateway_requests"));
    }

    @Test
    void imagesAreLayeredNonRootAndLeaveHealthToTheOrchestrator() throws IOException {
        for (String dockerfile : List.of("Dockerfile", "simulator.Dockerfile")) {
            String text = Files.readString(DEPLOY.resolve(dockerfile));

            assertThat(text)
                    .as(dockerfile)
                    .contains("-Djarmode=tools -jar app.jar extract --layers --launcher")
                    .contains("USER 10001:10001")
                    .contains("FROM ${JRE_IMAGE}")
                    .contains("ARG JRE_IMAGE=eclipse-temurin:17-jre");
            assertThat(text.lines()).as(dockerfile).noneMatch(l -> l.trim().startsWith("HEALTHCHECK"));
        }
    }

    private static Map<String, Object> service(String name) throws IOException {
        return map(yaml("compose.yaml"), "services." + name);
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        return RenderedChart.yaml(Files.readString(DEPLOY.resolve(file)));
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
