package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of the main code that no compiler checks. */
class SourceRulesTest {

    private static final Path ROOT =
            Path.of(System.getProperty("segstream.root")).toAbsolutePath();
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.])(?:java|javax|org|com|io)\\.(?:[a-z_]\\w*\\.)+[A-Z]\\w*");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void mainCodeNamesTypesByTheirImportsNotInline() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : mainSources()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ")
                        || line.startsWith("package ")
                        || line.startsWith("*")
                        || line.startsWith("//")
                        || line.startsWith("/*")) {
                    continue;
                }
                String code = STRING.matcher(line).replaceAll("\"\"");
                int comment = code.indexOf("//");
                if (comment >= 0) {
                    code = code.substring(0, comment);
                }
                if (QUALIFIED.matcher(code).find()) {
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(found)
                .as("fully qualified type names in main code (import them)")
                .isEmpty();
    }

    @Test
    void theRuleSeesAQualifiedName() {
        assertThat(QUALIFIED
                        .matcher("var m = new java.util.HashMap<String, String>();")
                        .find())
                .isTrue();
        assertThat(QUALIFIED.matcher("var m = new HashMap<String, String>();").find())
                .isFalse();
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java")))
                    .toList()) {
                try (Stream<Path> s = Files.walk(module.resolve("src/main/java"))) {
                    s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                }
            }
        }
        assertThat(out).as("main sources under %s", ROOT).hasSizeGreaterThan(100);
        return out;
    }
}
