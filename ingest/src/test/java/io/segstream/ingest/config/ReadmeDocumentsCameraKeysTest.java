package io.segstream.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/cameras.md's table of camera keys is the list of keys the code defines: none missing, none invented. */
class ReadmeDocumentsCameraKeysTest {

    @Test
    void shouldDocumentExactlyTheCameraKeysInTheReadme() throws Exception {
        Path readme = Path.of(System.getProperty("segstream.root", "..")).resolve("docs/cameras.md");
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("| key | takes | default | meaning |");
        assertThat(start).as("the cameras table in " + readme).isNotNegative();
        List<String> documented = lines.subList(start + 2, lines.size()).stream()
                .takeWhile(l -> l.startsWith("|"))
                .map(l -> l.substring(1, l.indexOf('|', 1)).strip().replace("`", ""))
                .toList();

        assertThat(documented)
                .containsExactlyElementsOf(
                        CameraKey.ALL.stream().map(CameraKey::name).toList());
    }
}
