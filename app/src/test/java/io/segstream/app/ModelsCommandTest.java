package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {

    @TempDir
    Path cache;

    @Test
    void shouldListTheCatalogWithWhatIsCachedAndRefuseAnUnknownName() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        int listed;
        try (java.io.PrintStream capture = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(capture);
            listed = Main.execute("models", "list", "--model-cache", cache.toString());
        } finally {
            System.setOut(original);
        }
        assertThat(listed).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("deeplabv3-mobilenetv2-cityscapes", "deeplabv3plus-xception65-cityscapes", " no ");

        StdErr.Captured unknown = StdErr.capture(() -> Main.execute("models", "pull", "nope", "--model-cache", cache.toString()));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no model 'nope' in the catalog");
    }
}
