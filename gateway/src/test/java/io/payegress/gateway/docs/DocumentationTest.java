package io.payegress.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.payegress.gateway.deploy.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays a front door (at most 250 lines, the exact test command CI runs, a link to every docs page), every
 * relative link and anchor in the README and docs/ resolves, and every main package's package-info names the docs page
 * that describes it.
 */
class DocumentationTest {

    private static final Path ROOT = RepositoryFiles.root();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path DOCS = ROOT.resolve("docs");
    private static final Pattern DOCS_PATH = Pattern.compile("\\{@code ((?:docs/[\\w./-]+|README)\\.md)}");

    @Test
    void theReadmeIsReadInMinutes() throws IOException {
        assertThat(MarkdownPage.read(README).lineCount()).as("README.md lines").isLessThanOrEqualTo(250);
    }

    @Test
    void theReadmeShowsTheTestCommandThatCiRuns() throws IOException {
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        Matcher exec = Pattern.compile("(?m)^exec (.+)$").matcher(ci);
        assertThat(exec.find()).as(".ci/run ends with exec <the test command>").isTrue();

        assertThat(Files.readString(README))
                .contains("```bash\n" + exec.group(1).trim() + "\n```");
    }

    @Test
    void theReadmeLinksEveryDocsPage() throws IOException {
        List<String> links = MarkdownPage.read(README).links();
        List<String> unlinked = new ArrayList<>();
        for (Path page : docsPages()) {
            String relative = ROOT.relativize(page).toString();
            if (links.stream().noneMatch(link -> link.equals(relative) || link.startsWith(relative + "#"))) {
                unlinked.add(relative);
            }
        }

        assertThat(unlinked).as("docs pages the README does not link").isEmpty();
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = new ArrayList<>(docsPages());
        pages.add(README);
        for (Path file : pages) {
            MarkdownPage page = MarkdownPage.read(file);
            for (String link : page.links()) {
                broken.addAll(problems(page, link));
            }
        }

        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void everyMainPackageLinksItsDocsPage() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String module : List.of("filters", "gateway")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module + "/src/main/java"))) {
                for (Path info :
                        files.filter(f -> f.endsWith("package-info.java")).toList()) {
                    Matcher doc = DOCS_PATH.matcher(Files.readString(info));
                    if (!doc.find()) {
                        problems.add(ROOT.relativize(info) + " names no docs page ({@code docs/….md})");
                    }
                    doc.reset();
                    while (doc.find()) {
                        if (!Files.isRegularFile(ROOT.resolve(doc.group(1)))) {
                            problems.add(ROOT.relativize(info) + " names " + doc.group(1) + ", which does not exist");
                        }
                    }
                }
            }
        }

        assertThat(problems).isEmpty();
    }

    private static List<String> problems(MarkdownPage page, String link) throws IOException {
        if (link.matches("^[a-z][a-z0-9+.-]*:.*")) {
            return List.of();
        }
        String where = ROOT.relativize(page.file()) + ": " + link;
        int hash = link.indexOf('#');
        String path = hash < 0 ? link : link.substring(0, hash);
        Path target = path.isEmpty()
                ? page.file()
                : page.file().getParent().resolve(path).normalize();
        if (!Files.exists(target)) {
            return List.of(where + " (no such file)");
        }
        if (hash >= 0 && target.toString().endsWith(".md")) {
            String anchor = link.substring(hash + 1);
            if (!MarkdownPage.read(target).anchors().contains(anchor)) {
                return List.of(where + " (no heading with anchor #" + anchor + ")");
            }
        }
        return List.of();
    }

    private static List<Path> docsPages() throws IOException {
        try (Stream<Path> files = Files.walk(DOCS)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
    }
}
