package io.payegress.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.docs.MarkdownPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every alert of deploy/prometheus/rules.yml has its runbook entry in docs/operations.md: a heading named after the
 * alert, saying what it means, how to confirm it and what to do; no entry outlives its alert; and a
 * {@code runbook_url} annotation, where a rule has one (none has yet), points at its entry.
 */
class AlertRunbookTest {

    private static final Path ROOT = RepositoryFiles.root();
    private static final Path RULES = ROOT.resolve("deploy/prometheus/rules.yml");
    private static final Path OPERATIONS = ROOT.resolve("docs/operations.md");
    private static final List<String> PARTS = List.of("**Means.**", "**Confirm.**", "**Act.**");

    private static List<Map<String, Object>> rules;
    private static MarkdownPage operations;

    @BeforeAll
    static void read() throws IOException {
        rules = new ArrayList<>();
        for (Map<String, Object> group :
                maps(RenderedChart.yaml(Files.readString(RULES)).get("groups"))) {
            rules.addAll(maps(group.get("rules")));
        }
        operations = MarkdownPage.read(OPERATIONS);
    }

    @Test
    void everyAlertHasARunbookEntrySayingWhatItMeansHowToConfirmItAndWhatToDo() {
        List<String> problems = new ArrayList<>();
        for (String alert : alerts()) {
            List<MarkdownPage.Heading> entries = operations.headings().stream()
                    .filter(h -> h.text().equals(alert))
                    .toList();
            if (entries.size() != 1) {
                problems.add(alert + ": expected one heading '" + alert + "' in docs/operations.md, found "
                        + entries.size());
                continue;
            }
            String entry = operations.section(entries.get(0));
            PARTS.stream()
                    .filter(part -> !entry.contains(part))
                    .forEach(part -> problems.add(alert + ": its runbook entry lacks " + part));
        }
        for (Map<String, Object> rule : rules) {
            Object url = RenderedChart.map(rule, "annotations").get("runbook_url");
            String anchor = "docs/operations.md#" + MarkdownPage.slug((String) rule.get("alert"));
            if (url != null && !url.toString().endsWith(anchor)) {
                problems.add(rule.get("alert") + ": runbook_url " + url + " does not point at " + anchor);
            }
        }

        assertThat(alerts()).as("alerts in rules.yml").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void noRunbookEntryOutlivesItsAlert() {
        List<String> entries = operations.headings().stream()
                .map(MarkdownPage.Heading::text)
                .filter(text -> text.matches("Payegress[A-Za-z0-9]+"))
                .toList();

        assertThat(alerts()).containsAll(entries);
    }

    private static List<String> alerts() {
        return rules.stream().map(r -> (String) r.get("alert")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }
}
