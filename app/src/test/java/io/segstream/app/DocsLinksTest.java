package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ link to each other: every relative link names a file of the repository and,
 * with a #fragment, a heading of it (as GitHub makes anchors of headings).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Path ROOT = Path.of(System.getProperty("segstream.root"));

    @Test
    void shouldLinkOnlyToFilesAndHeadingsThatExist() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto: — outside the repository
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                checked++;
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("links checked").isGreaterThan(40);
        assertThat(pages).as("README and docs pages").hasSizeGreaterThan(8);
    }

    @Test
    void shouldShowTheQuickStartWithinTheReadmesFirstScreen() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int run = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("./segstream run --input")) {
                run = i;
                break;
            }
        }
        assertThat(run).as("line of the quick start's run command").isBetween(0, 40);
        assertThat(lines).as("a README of a few screens").hasSizeLessThan(250);
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as '-'. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        if (!file.toString().endsWith(".md")) {
            return out;
        }
        boolean fence = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                fence = !fence;
            }
            if (!fence && line.matches("#{1,6} .*")) {
                String title = line.replaceFirst("#{1,6} ", "").strip().toLowerCase(Locale.ROOT);
                out.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }
}
