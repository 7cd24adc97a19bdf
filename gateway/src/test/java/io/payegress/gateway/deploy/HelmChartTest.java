package io.payegress.gateway.deploy;

import static io.payegress.gateway.deploy.RenderedChart.at;
import static io.payegress.gateway.deploy.RenderedChart.list;
import static io.payegress.gateway.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.payegress.gateway.shutdown.RequestDrain;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/** The chart lints strictly and its default rendering has the probes, security and mounts production needs. */
class HelmChartTest {

    /** helm-java's built-in default (v1.20) predates the chart's kubeVersion; render for a current cluster. */
    static final String KUBE_VERSION = "1.31.0";

    private static RenderedChart defaults;
    private static Map<String, Object> pod;
    private static Map<String, Object> container;

    @BeforeAll
    static void renderDefaults() {
        defaults = HelmValuesTest.render(UnaryOperator.identity());
        pod = map(defaults.one("Deployment"), "spec.template.spec");
        container = map(pod, "containers.0");
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(RepositoryFiles.chart()).lint().strict().call();

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }

    @Test
    void defaultsRenderTheWorkloadAndItsGuardsButNoMonitoringAndNoSecret() {
        assertThat(defaults.kinds())
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ConfigMap",
                        "ConfigMap",
                        "Service",
                        "Deployment",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "NetworkPolicy");
        assertThat(at(defaults.one("HorizontalPodAutoscaler"), "spec.minReplicas"))
                .isEqualTo(3);
        assertThat(map(defaults.one("Deployment"), "spec")).doesNotContainKey("replicas");
        assertThat(at(defaults.one("PodDisruptionBudget"), "spec.maxUnavailable"))
                .isEqualTo(1);
    }

    @Test
    void probesUseTheHealthGroupsThatNeverDependOnRedis() {
        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "readinessProbe.httpGet.port")).isEqualTo("http");
        assertThat(at(container, "ports.0.containerPort")).isEqualTo(8080);
    }

    @Test
    void podRunsUnderTheRestrictedSecurityContextWithAWritableTmpOnly() {
        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        assertThat(mount("tmp").get("mountPath")).isEqualTo("/tmp");
        assertThat(volume("tmp")).containsKey("emptyDir");
    }

    @Test
    void shutdownOutlastsThePreStopSleepPlusTheTwentySecondPhase() {
        List<?> preStop = (List<?>) at(container, "lifecycle.preStop.exec.command");
        int sleep = Integer.parseInt((String) preStop.get(1));

        assertThat(preStop.get(0)).isEqualTo("sleep");
        assertThat(sleep).isPositive();
        assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).isGreaterThan(sleep + 20);
    }

    @Test
    void gracePeriodOutlastsPreStopTheShutdownPhaseAndTheDrain() {
        int sleep = Integer.parseInt((String) ((List<?>) at(container, "lifecycle.preStop.exec.command")).get(1));
        Duration phase = renderedShutdownPhase();

        assertThat((Integer) at(pod, "terminationGracePeriodSeconds"))
                .isGreaterThan(sleep + (int) phase.toSeconds() + (int) RequestDrain.ANSWERS_WRITTEN.toSeconds());
    }

    @Test
    void theRenderedShutdownPhaseIsTheAppsAndOutlastsItsLongestRequest() throws Exception {
        Map<String, Object> app = RenderedChart.yaml(
                Files.readString(RepositoryFiles.root().resolve("gateway/src/main/resources/application.yml")));
        Map<String, Object> couponsUse =
                list(app, "spring.cloud.gateway.server.webflux.routes").get(0);
        Duration inFlightWait = routeArg(couponsUse, "Idempotency", "in-flight-wait");
        Duration deadline = routeArg(couponsUse, "UpstreamRetry", "deadline");

        assertThat(renderedShutdownPhase())
                .isEqualTo(
                        DurationStyle.detectAndParse((String) at(app, "spring.lifecycle.timeout-per-shutdown-phase")))
                // a duplicate waits in-flight-wait for the first request, then may run itself for one deadline
                .isGreaterThan(inFlightWait.plus(deadline));
    }

    @Test
    void livenessDoesNotRestartAReplicaFinishingItsRequests() {
        int period = (Integer) at(container, "livenessProbe.periodSeconds");
        int failures = (Integer) at(container, "livenessProbe.failureThreshold");

        assertThat(Duration.ofSeconds((long) period * failures)).isGreaterThan(renderedShutdownPhase());
    }

    @Test
    void rolloutsAndDisruptionsTakeAtMostOneReplicaAtATime() {
        Map<String, Object> deployment = defaults.one("Deployment");

        assertThat(at(deployment, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
        assertThat(at(deployment, "spec.strategy.rollingUpdate.maxSurge")).isEqualTo(1);
        assertThat(at(defaults.one("PodDisruptionBudget"), "spec.selector.matchLabels"))
                .isEqualTo(at(deployment, "spec.selector.matchLabels"));
    }

    private static Duration renderedShutdownPhase() {
        return DurationStyle.detectAndParse(
                (String) at(HelmValuesTest.applicationConfig(defaults), "spring.lifecycle.timeout-per-shutdown-phase"));
    }

    /** A filter argument of the route, its placeholder resolved to the default: {@code ${x:8s}} is 8 s. */
    private static Duration routeArg(Map<String, Object> route, String filter, String arg) {
        Object value = ((List<?>) at(route, "filters"))
                .stream()
                        .filter(f -> f instanceof Map<?, ?> named && filter.equals(named.get("name")))
                        .findFirst()
                        .map(f -> at(f, "args." + arg))
                        .orElseThrow(() -> new AssertionError("no " + filter + " on " + route.get("id")));
        Matcher placeholder = Pattern.compile("\\$\\{[^:}]+:([^}]+)}").matcher((String) value);
        return DurationStyle.detectAndParse(placeholder.matches() ? placeholder.group(1) : (String) value);
    }

    @Test
    void keysComeFromTheSecretMountedReadOnlyAsADirectory() {
        assertThat(at(volume("wechatpay-keys"), "secret.secretName")).isEqualTo("rel-payegress-wechatpay-keys");
        assertThat(mount("wechatpay-keys"))
                .containsEntry("mountPath", "/etc/payegress/keys")
                .containsEntry("readOnly", true)
                .doesNotContainKey("subPath");
        assertThat(mount("tenants")).containsEntry("readOnly", true);
        assertThat(at(volume("tenants"), "configMap.name")).isEqualTo("rel-payegress-tenants");
    }

    @Test
    void podsSpreadOverZonesAndNodes() {
        List<Map<String, Object>> spread = list(pod, "topologySpreadConstraints");

        assertThat(spread)
                .extracting(c -> c.get("topologyKey"))
                .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(at(spread.get(0), "labelSelector.matchLabels"))
                .isEqualTo(at(defaults.one("Deployment"), "spec.selector.matchLabels"));
    }

    @Test
    void networkPolicyAllowsOnlyDnsRedisAndWeChatPayOut() {
        List<Map<String, Object>> egress = list(defaults.one("NetworkPolicy"), "spec.egress");

        assertThat(egress).hasSize(3);
        assertThat(list(egress.get(0), "ports")).extracting(p -> p.get("port")).containsOnly(53);
        assertThat(list(egress.get(1), "ports")).extracting(p -> p.get("port")).containsExactly(6379, 26379);
        assertThat(at(egress.get(2), "to.0.ipBlock.cidr")).isEqualTo("0.0.0.0/0");
        assertThat(at(egress.get(2), "to.0.ipBlock.except")).asList().contains("10.0.0.0/8");
        assertThat(list(egress.get(2), "ports")).extracting(p -> p.get("port")).containsExactly(443);
        assertThat(at(defaults.one("NetworkPolicy"), "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
    }

    private static Map<String, Object> mount(String name) {
        return list(container, "volumeMounts").stream()
                .filter(m -> name.equals(m.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount " + name));
    }

    private static Map<String, Object> volume(String name) {
        return list(pod, "volumes").stream()
                .filter(v -> name.equals(v.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
