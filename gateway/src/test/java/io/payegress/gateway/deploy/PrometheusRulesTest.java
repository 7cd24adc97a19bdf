package io.payegress.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules parse and pass their promtool unit tests, every alert is tested both firing and not firing, and the
 * chart's copy is the deploy file. Fails (never skips) without promtool: {@code ./test.sh} (the README's test command)
 * finds it or fetches it into {@code target/tools} and passes its path in {@code PAYEGRESS_PROMTOOL}.
 */
class PrometheusRulesTest {

    private static final Path ROOT = RepositoryFiles.root();
    private static final Path RULES = ROOT.resolve("deploy/prometheus/rules.yml");
    private static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/rules.test.yml");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Run run = promtool("check", "rules", RULES.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() throws Exception {
        Run run = promtool("test", "rules", RULE_TESTS.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Map<String, Object> test :
                maps(RenderedChart.yaml(Files.readString(RULE_TESTS)).get("tests"))) {
            for (Map<String, Object> expectation : maps(test.get("alert_rule_test"))) {
                String alert = (String) expectation.get("alertname");
                boolean fires = !((List<?>) expectation.get("exp_alerts")).isEmpty();
                (fires ? firing : silent).add(alert);
            }
        }

        assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts());
        assertThat(silent).containsExactlyInAnyOrderElementsOf(alerts());
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndRunbook() throws IOException {
        for (Map<String, Object> rule : rules()) {
            assertThat(RenderedChart.map(rule, "labels"))
                    .as("%s", rule.get("alert"))
                    .containsKey("severity");
            assertThat(RenderedChart.map(rule, "annotations"))
                    .as("%s", rule.get("alert"))
                    .containsKeys("summary", "description", "runbook");
        }
    }

    @Test
    void theChartEmbedsAnIdenticalCopyOfTheRules() throws IOException {
        Path copy = RepositoryFiles.chart().resolve("files/rules.yml");

        assertThat(Files.mismatch(RULES, copy))
                .as("helm/payegress/files/rules.yml differs from deploy/prometheus/rules.yml: copy it over")
                .isEqualTo(-1L);
    }

    private static List<String> alerts() throws IOException {
        return rules().stream().map(r -> (String) r.get("alert")).toList();
    }

    private static List<Map<String, Object>> rules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group :
                maps(RenderedChart.yaml(Files.readString(RULES)).get("groups"))) {
            rules.addAll(maps(group.get("rules")));
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }

    private static Run promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtoolBinary().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        return new Run(process.exitValue(), output);
    }

    /**
     * The promtool to run: {@code -Dpayegress.promtool}, else {@code PAYEGRESS_PROMTOOL} (either must then be executable:
     * no silent fallback to another promtool), else what {@code gateway/src/test/sh/promtool.sh} finds or fetches (the
     * copy in target/tools, fetched from Debian's package where missing, else one on PATH), as {@code ./test.sh} does:
     * so {@code ./mvnw verify} alone runs these tests on a fresh machine too.
     */
    private static Path promtoolBinary() throws IOException, InterruptedException {
        String configured = System.getProperty("payegress.promtool", "");
        if (configured.isBlank()) {
            configured = System.getenv().getOrDefault("PAYEGRESS_PROMTOOL", "");
        }
        if (!configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError("promtool " + path
                        + " (payegress.promtool / PAYEGRESS_PROMTOOL) is not executable: run ./test.sh, which fetches"
                        + " it into target/tools");
            }
            return path;
        }
        synchronized (PrometheusRulesTest.class) {
            Process process = new ProcessBuilder(
                            "bash",
                            ROOT.resolve("gateway/src/test/sh/promtool.sh").toString())
                    .directory(ROOT.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            String found = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String why = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor(5, TimeUnit.MINUTES))
                    .as("promtool.sh finished")
                    .isTrue();
            if (process.exitValue() != 0 || found.isEmpty()) {
                throw new AssertionError("promtool not found: " + why);
            }
            return Path.of(found);
        }
    }

    private record Run(int exitCode, String output) {}
}
