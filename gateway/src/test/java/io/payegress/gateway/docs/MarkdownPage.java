package io.payegress.gateway.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown page of the repository, read the way a forge renders it: its headings with their anchors (GitHub's
 * slugs), its links and its table rows, all outside fenced code blocks.
 */
public final class MarkdownPage {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");

    private final Path file;
    private final List<String> lines;

    private MarkdownPage(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    public static MarkdownPage read(Path file) throws IOException {
        return new MarkdownPage(file, Files.readAllLines(file));
    }

    public Path file() {
        return file;
    }

    public int lineCount() {
        return lines.size();
    }

    public String text() {
        return String.join("\n", lines);
    }

    /** A heading: its level (1-6), its text and its anchor. */
    public record Heading(int level, String text, String anchor, int line) {}

    public List<Heading> headings() {
        List<Heading> headings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<String> prose = prose();
        for (int i = 0; i < prose.size(); i++) {
            Matcher m = HEADING.matcher(prose.get(i));
            if (m.matches()) {
                String slug = slug(m.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                String anchor = count == 1 ? slug : slug + "-" + (count - 1);
                headings.add(new Heading(m.group(1).length(), m.group(2), anchor, i));
            }
        }
        return headings;
    }

    public Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        headings().forEach(h -> anchors.add(h.anchor()));
        return anchors;
    }

    /** The text under a heading, up to the next heading of the same or a higher level. */
    public String section(Heading heading) {
        List<String> prose = prose();
        StringBuilder text = new StringBuilder();
        for (int i = heading.line() + 1; i < prose.size(); i++) {
            Matcher m = HEADING.matcher(prose.get(i));
            if (m.matches() && m.group(1).length() <= heading.level()) {
                break;
            }
            text.append(prose.get(i)).append('\n');
        }
        return text.toString();
    }

    /** Every link target outside code blocks, as written ({@code docs/x.md#anchor}, {@code https://…}). */
    public List<String> links() {
        List<String> links = new ArrayList<>();
        for (String line : prose()) {
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                links.add(m.group(1));
            }
        }
        return links;
    }

    /** The cells of every table row (header and separator rows included), trimmed. */
    public List<List<String>> tableRows() {
        List<List<String>> rows = new ArrayList<>();
        for (String line : prose()) {
            String row = line.trim();
            if (row.startsWith("|") && row.endsWith("|") && row.length() > 1) {
                List<String> cells = new ArrayList<>();
                for (String cell : row.substring(1, row.length() - 1).split("(?<!\\\\)\\|", -1)) {
                    cells.add(cell.trim());
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    /**
     * The anchor a forge gives a heading: lower case, punctuation other than hyphens and underscores dropped (inline
     * code marks included), spaces turned into hyphens.
     */
    public static String slug(String heading) {
        String text = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}_\\- ]", "");
        return text.replace(' ', '-');
    }

    /** The lines outside fenced code blocks; lines inside are blank, so that indexes stay line numbers. */
    private List<String> prose() {
        List<String> prose = new ArrayList<>(lines.size());
        boolean fenced = false;
        for (String line : lines) {
            boolean fence = line.trim().startsWith("```");
            prose.add(fenced || fence ? "" : line);
            if (fence) {
                fenced = !fenced;
            }
        }
        return prose;
    }
}
