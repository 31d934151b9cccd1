package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.KafkaIntegrationTest;
import io.segstream.testkit.LogCapture;
import io.segstream.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaIntegrationTest
class RunCommandFailureTest {

    @TempDir
    Path work;

    @Test
    void shouldNameTheBadInputAndStillFinishTheGoodOne(KafkaBroker kafka) throws Exception {
        Path good = Clips.write(work.resolve("good.mp4"), 6, 160, 96, avcodec.AV_CODEC_ID_H264);
        Path missing = work.resolve("no-such-clip.mp4");
        Path out = work.resolve("out");

        StdErr.Captured run = runOn(kafka, "fail", out, good, missing);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("segstream: camera no-such-clip: cannot open input " + missing + ": no such file");
        assertThat(Files.readAllLines(out.resolve("good").resolve("stats.jsonl")))
                .hasSize(6);
    }

    @Test
    void shouldLeaveNoOutputDirectoryWhenTheOnlyInputCannotBeRead(KafkaBroker kafka) throws Exception {
        Path missing = work.resolve("no-such-clip.mp4");
        Path out = work.resolve("out");

        StdErr.Captured run = runOn(kafka, "nothing", out, missing);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr()).contains("segstream: camera no-such-clip: cannot open input " + missing);
        assertThat(out).as("the run created it and wrote nothing in it").doesNotExist();
    }

    @Test
    void shouldSayWhichCamerasFilesCouldNotBeWrittenAndFail(KafkaBroker kafka) throws Exception {
        Path clip = Clips.write(work.resolve("blocked.mp4"), 6, 160, 96, avcodec.AV_CODEC_ID_H264);
        Path out = Files.createDirectories(work.resolve("out"));
        Files.writeString(out.resolve("blocked"), "a file where the camera's directory would go");

        LogCapture log = new LogCapture();
        StdErr.Captured run = runOn(kafka, "blocked", out, clip);

        List<String> lines = run.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(run.code()).isEqualTo(1);
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("segstream: camera blocked: its files in " + out.resolve("blocked")
                        + " were not written, see the sink's line above");
        log.close();
        assertThat(log.lines())
                .filteredOn(l -> l.contains("its overlay files cannot be written"))
                .as("one line for the camera's session, naming the cause")
                .singleElement()
                .asString()
                .startsWith("ERROR Camera blocked session ")
                .endsWith("Not a directory");
    }

    @Test
    void shouldRefuseToStartWithAMalformedModel() throws Exception {
        Path notAModel = Files.write(work.resolve("model.pb"), "not a graph".getBytes(StandardCharsets.UTF_8));

        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "run",
                "-i",
                "whatever.mp4",
                "-m",
                notAModel.toString(),
                "-o",
                work.resolve("out").toString(),
                "--model-cache=" + work.resolve("cache").toString()));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr()).contains("segstream: model refused:").contains(notAModel.toString());
        assertThat(work.resolve("out")).doesNotExist();
    }

    @Test
    void shouldRejectOutOfRangeOptionsAllAtOnce() throws Exception {
        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "run", "-i", "x.mp4", "-m", "m", "-o", "o", "--jpeg-quality", "0", "--overlay-alpha", "2"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("--jpeg-quality must be 1-100, got 0")
                .contains("--overlay-alpha must be within 0..1, got 2.0");
    }

    /** {@code segstream run} of the inputs with the saved model into {@code out}, on the test's broker. */
    private StdErr.Captured runOn(KafkaBroker kafka, String prefix, Path out, Path... inputs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        for (Path input : inputs) {
            args.addAll(List.of("-i", input.toString()));
        }
        args.addAll(List.of(
                "-m",
                Assets.require(Assets.SAVED_MODEL).toString(),
                "-o",
                out.toString(),
                "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + TestTopics.uniquePrefix(prefix),
                "--model-cache=" + work.resolve("cache").toString()));
        return StdErr.capture(() -> Main.execute(args.toArray(String[]::new)));
    }
}
