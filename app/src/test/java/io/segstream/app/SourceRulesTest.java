package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /**
     * Inside a module, packages depend on each other one way only: the packages' import graph of the
     * main code has no cycle (a type of another package is always imported: see the rule above).
     */
    @Test
    void mainCodeHasNoPackageCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Pattern pkg = Pattern.compile("^package (io\\.segstream\\.[a-z.]+);", Pattern.MULTILINE);
        Pattern imp = Pattern.compile("^import (?:static )?(io\\.segstream\\.[a-z.]+)\\.[A-Z]", Pattern.MULTILINE);
        for (Path file : mainSources()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            java.util.regex.Matcher p = pkg.matcher(text);
            if (!p.find()) {
                continue;
            }
            Set<String> targets = uses.computeIfAbsent(p.group(1), k -> new TreeSet<>());
            java.util.regex.Matcher m = imp.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(p.group(1))) {
                    targets.add(m.group(1));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            // a package that reaches itself again through its imports is in a cycle
            List<String> path = cycleThrough(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (!path.isEmpty()) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertThat(uses).as("packages read").hasSizeGreaterThan(20);
        assertThat(cycles).as("package cycles inside modules").isEmpty();
    }

    private static List<String> cycleThrough(
            String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> found = new ArrayList<>(path);
                found.add(start);
                return found;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleThrough(start, next, uses, path, seen);
                if (!found.isEmpty()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
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
