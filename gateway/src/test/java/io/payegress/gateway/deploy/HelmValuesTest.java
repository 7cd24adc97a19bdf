package io.payegress.gateway.deploy;

import static io.payegress.gateway.deploy.RenderedChart.at;
import static io.payegress.gateway.deploy.RenderedChart.list;
import static io.payegress.gateway.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the chart renders from real values (helm/examples/production-values.yaml), and the values it refuses. */
class HelmValuesTest {

    private static final Path PRODUCTION = RepositoryFiles.root().resolve("helm/examples/production-values.yaml");

    @TempDir
    Path temp;

    @Test
    void configMapsAndEnvironmentHoldFilePathsButNoKeyMaterial() {
        RenderedChart chart = render(t -> t.withValuesFile(PRODUCTION));

        for (Map<String, Object> configMap : chart.all("ConfigMap")) {
            assertThat(map(configMap, "data").values().toString())
                    .doesNotContain("PRIVATE KEY", "BEGIN", "local-demo-key", "password:");
        }
        List<Map<String, Object>> env = list(chart.one("Deployment"), "spec.template.spec.containers.0.env");
        assertThat(env).allSatisfy(e -> assertThat(e).doesNotContainKey("valueFrom"));
        assertThat(env.toString()).doesNotContain("PRIVATE KEY", "BEGIN", "password");
        assertThat(chart.all("Secret")).isEmpty();
        Map<String, Object> wechatpay = map(applicationConfig(chart), "payegress.wechatpay");
        assertThat(wechatpay)
                .containsEntry("merchant-id", "1900000001")
                .containsEntry("private-key-file", "/etc/payegress/keys/apiclient_key.pem")
                .containsEntry("certificate-file", "/etc/payegress/keys/apiclient_cert.pem");
        assertThat(at(wechatpay, "platform-keys.0.public-key-file"))
                .isEqualTo("/etc/payegress/keys/wechatpay_public_key.pem");
    }

    @Test
    void tenantsAreRenderedAsHashesUnderPayegressTenants() {
        RenderedChart chart = render(t -> t.withValuesFile(PRODUCTION));
        Map<String, Object> tenants = configFile(chart, "tenants.yml");

        assertThat(at(tenants, "payegress.tenants.store-001.api-key-sha256.0"))
                .isEqualTo("3a144c6d8b88728d4ac74c90e77c87f526b4c4df5c5cfbc51595b90070d4975b");
        assertThat(at(tenants, "payegress.tenants.store-002.cap-per-second")).isEqualTo(100);
    }

    @Test
    void redisPasswordIsAMountedFileReadThroughAConfigTree() {
        RenderedChart chart = render(t -> t.withValuesFile(PRODUCTION));
        Map<String, Object> pod = map(chart.one("Deployment"), "spec.template.spec");

        assertThat(at(applicationConfig(chart), "spring.config.import"))
                .isEqualTo("optional:configtree:/etc/payegress/redis-auth/");
        assertThat(list(pod, "volumes"))
                .filteredOn(v -> "redis-auth".equals(v.get("name")))
                .singleElement()
                .satisfies(v -> assertThat(at(v, "secret.items.0.path")).isEqualTo("spring.data.redis.password"));
    }

    @Test
    void monitoringObjectsAppearOnlyWhenSwitchedOnAndTheRuleIsTheDeployFile() throws Exception {
        RenderedChart off = render(UnaryOperator.identity());
        RenderedChart on = render(t -> t.set("serviceMonitor.enabled", true).set("prometheusRule.enabled", true));

        assertThat(off.all("ServiceMonitor")).isEmpty();
        assertThat(off.all("PrometheusRule")).isEmpty();
        assertThat(at(on.one("ServiceMonitor"), "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> rules =
                RenderedChart.yaml(Files.readString(RepositoryFiles.root().resolve("deploy/prometheus/rules.yml")));
        assertThat(at(on.one("PrometheusRule"), "spec.groups")).isEqualTo(rules.get("groups"));
    }

    @Test
    void withoutAutoscalingTheDeploymentOwnsTheReplicaCount() throws IOException {
        RenderedChart chart = render(valuesFile("{replicaCount: 4, autoscaling: {enabled: false}}"));

        assertThat(chart.all("HorizontalPodAutoscaler")).isEmpty();
        assertThat(at(chart.one("Deployment"), "spec.replicas")).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({
        "standalone, spring.data.redis.host, redis, ssl host port",
        "sentinel,   spring.data.redis.sentinel.nodes, 's-0:26379,s-1:26379', ssl sentinel",
        "cluster,    spring.data.redis.cluster.nodes, 'c-0:6379,c-1:6379', ssl cluster"
    })
    void redisModeSelectsTheMatchingSpringProperties(String mode, String property, String expected, String keys)
            throws IOException {
        RenderedChart chart = render(valuesFile("redis: {mode: " + mode
                + ", sentinel: {nodes: [s-0:26379, s-1:26379]}, cluster: {nodes: [c-0:6379, c-1:6379]}}"));
        Map<String, Object> redis = map(applicationConfig(chart), "spring.data.redis");

        assertThat(String.valueOf(at(applicationConfig(chart), property))).isEqualTo(expected);
        assertThat(redis.keySet()).containsExactlyInAnyOrder(keys.split(" "));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "replicaCount: -1 | /replicaCount",
                "redis: {mode: master-slave} | /redis/mode",
                "redis: {mode: sentinel} | /redis/sentinel",
                "redis: {port: 70000} | /redis/port",
                "terminationGracePeriodSeconds: 10 | /terminationGracePeriodSeconds",
                "shutdownTimeoutSeconds: 0 | /shutdownTimeoutSeconds",
                "tenants: {store-001: {api-key-sha256: [local-demo-key]}} | /tenants/store-001/api-key-sha256/0",
                "tenants: {store-001: {api-key: local-demo-key}} | /tenants/store-001",
                "wechatpay: {merchantId: mch-one} | /wechatpay/merchantId",
                "networkPolicy: {egress: {wechatpay: {cidrs: []}}} | /networkPolicy/egress/wechatpay/cidrs",
                "noSuchSetting: 1 | additional properties 'noSuchSetting' not allowed"
            })
    void schemaRejectsBadValues(String values, String where) throws IOException {
        Path file = valuesFile(values);

        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(where);
    }

    @Test
    void theShutdownTimeoutIsRenderedAsTheAppsShutdownPhaseAndCountsInTheGracePeriod() throws IOException {
        RenderedChart chart = render(valuesFile("{shutdownTimeoutSeconds: 25, terminationGracePeriodSeconds: 50}"));
        Path tooShort = valuesFile("{shutdownTimeoutSeconds: 30, terminationGracePeriodSeconds: 45}");

        assertThat(at(applicationConfig(chart), "spring.lifecycle.timeout-per-shutdown-phase"))
                .isEqualTo("25s");
        assertThat(at(chart.one("Deployment"), "spec.template.spec.terminationGracePeriodSeconds"))
                .isEqualTo(50);
        assertThatThrownBy(() -> render(tooShort))
                .hasMessageContaining("terminationGracePeriodSeconds must exceed preStopSleepSeconds + 30")
                .hasMessageContaining("+ 5 (its drain)");
    }

    @Test
    void aGracePeriodShorterThanPreStopPlusShutdownIsRejected() throws IOException {
        Path file = valuesFile("{terminationGracePeriodSeconds: 40, preStopSleepSeconds: 25}");

        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("terminationGracePeriodSeconds must exceed preStopSleepSeconds + 20");
    }

    static Map<String, Object> applicationConfig(RenderedChart chart) {
        return configFile(chart, "application.yml");
    }

    private static Map<String, Object> configFile(RenderedChart chart, String file) {
        return chart.all("ConfigMap").stream()
                .map(c -> map(c, "data"))
                .filter(data -> data.containsKey(file))
                .map(data -> RenderedChart.yaml((String) data.get(file)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap with " + file));
    }

    private Path valuesFile(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(temp, "values", ".yaml"), yaml);
    }

    private static RenderedChart render(Path values) {
        return render(t -> t.withValuesFile(values));
    }

    /** Renders like {@code helm template rel helm/payegress -n egress} against a current Kubernetes version. */
    static RenderedChart render(UnaryOperator<TemplateCommand> values) {
        TemplateCommand template = new Helm(RepositoryFiles.chart())
                .template()
                .withName("rel")
                .withNamespace("egress")
                .withKubeVersion(HelmChartTest.KUBE_VERSION);
        return RenderedChart.parse(values.apply(template).call());
    }
}
