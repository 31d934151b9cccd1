package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
class ModelsCommandTest {

    @TempDir
    Path cache;

    private record Output(int code, String out) {}

    private static Output stdout(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.execute(args);
        } finally {
            System.setOut(original);
        }
        return new Output(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldListTheCatalogWithWhatIsCachedAndRefuseAnUnknownName() throws Exception {
        Output listed = stdout("models", "list", "--model-cache", cache.toString());

        assertThat(listed.code()).isZero();
        assertThat(listed.out())
                .contains("deeplabv3-mobilenetv2-cityscapes", "deeplabv3plus-xception65-cityscapes", " no ", "513x513");

        StdErr.Captured unknown =
                StdErr.capture(() -> Main.execute("models", "pull", "nope", "--model-cache", cache.toString()));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no model 'nope' in the catalog");
    }

    @Test
    void shouldInspectAModelItsCropClassesAndTheTimeOfOneFrame() {
        Output inspected = stdout(
                "models",
                "inspect",
                Assets.require(Assets.SIGNATE_GRAPH).toString(),
                "--model-descriptor="
                        + Assets.project(Assets.SIGNATE_DESCRIPTOR).toString(),
                "--device=cpu",
                "--model-cache=" + cache.toString());

        assertThat(inspected.code()).as(inspected.out()).isZero();
        assertThat(inspected.out())
                .contains(
                        "outputs         labels int32 [1,?,?]",
                        "crop            1025x513",
                        "sizing          fit into 1025x513 keeping the aspect ratio",
                        "classes         5, from the descriptor",
                        "  1  lane                     #452f8e",
                        "driving groups  drivable: lane; vehicles: car; persons: pedestrian; twoWheelers: -",
                        "a 1280x720 frame runs as 912x513: ",
                        "mask 1280x720");

        Output forced = stdout(
                "models",
                "inspect",
                Assets.require(Assets.SIGNATE_GRAPH).toString(),
                "--size-policy=native",
                "--device=cpu",
                "--model-cache=" + cache.toString());

        assertThat(forced.code()).isEqualTo(1);
        assertThat(forced.out())
                .contains(
                        "classes         5, from the descriptor",
                        "FAILS: ",
                        "1280x720 is larger than the model's 1025x513 crop (size policy native)");
    }
}
