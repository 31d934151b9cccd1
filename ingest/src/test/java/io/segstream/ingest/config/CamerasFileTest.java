package io.segstream.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.source.SourceKind;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.testkit.HostileFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamerasFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldBindEveryCameraWithTheDefaultsUnderItsOwnKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), """
                defaults:
                  fps: 10
                  max-size: 1280x720
                  jpeg-quality: 85
                cameras:
                  - id: front
                    source: rtsp://10.0.0.7:554/stream1
                    rtsp-transport: udp
                  - id: drive-0042
                    source: /data/drives/0042.mp4
                    fps: 5
                    encoding: png
                    scale: 2
                  - id: relay
                    source: http://10.0.0.8/live.ts
                    mode: recorded
                    options:
                      probesize: 500000
                """);

        List<CameraSpec> cameras = CamerasFile.load(file);

        assertThat(cameras).extracting(CameraSpec::id).containsExactly("front", "drive-0042", "relay");
        CameraSpec front = cameras.get(0);
        assertThat(front.live()).isTrue();
        assertThat(front.source().kind()).isEqualTo(SourceKind.RTSP);
        assertThat(front.source().options()).isEqualTo(Map.of("rtsp_transport", "udp"));
        assertThat(front.targetFps().getAsDouble()).isEqualTo(10);
        assertThat(front.maxSize()).hasValue(new Size(1280, 720));
        assertThat(front.jpegQuality()).isEqualTo(85);
        CameraSpec drive = cameras.get(1);
        assertThat(drive.live()).isFalse();
        assertThat(drive.targetFps().getAsDouble()).isEqualTo(5);
        assertThat(drive.encoding()).isEqualTo(ImageEncoding.PNG);
        assertThat(drive.scale())
                .as("the segmenter sees this camera's frames at twice their size")
                .hasValue(new Scale(2, 0));
        assertThat(front.scale()).isEmpty();
        CameraSpec relay = cameras.get(2);
        assertThat(relay.live()).isFalse();
        assertThat(relay.source().options()).isEqualTo(Map.of("probesize", "500000"));
    }

    @Test
    void shouldReportEveryProblemAtOnceNamingTheCameraAndTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), """
                defaults:
                  fsp: 10
                cameras:
                  - id: front
                    source: rtsp://10.0.0.7/s
                    fps: -1
                    jpeg-quality: 150
                  - id: front
                    source: /data/a.mp4
                  - source: /data/b.mp4
                    encoding: webp
                  - id: "bad id"
                    source: gopher://x
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CamerasFile.load(file));

        assertThat(e.problems())
                .containsExactly(
                        "defaults: unknown key 'fsp' (known: encoding, fps, id, jpeg-quality, max-size, mode, options, rtsp-transport, scale, source)",
                        "cameras[0] (front): fps: must be > 0, got -1",
                        "cameras[0] (front): jpeg-quality: must be 1-100, got 150",
                        "cameras[1] (front): id 'front' is used by another camera",
                        "cameras[2]: id is required (camera id: the record key on every topic and the output directory name; "
                                + "1-128 of A-Z a-z 0-9 . _ -, starting with a letter or digit)",
                        "cameras[2]: encoding: must be jpeg or png, got 'webp'",
                        "cameras[3] (bad id): unsupported source scheme 'gopher://' in gopher://x (use rtsp, http(s), udp, rtp, "
                                + "srt, v4l2, a file or an image directory/glob)");
        assertThat(e.getMessage()).startsWith(file + ": defaults: unknown key 'fsp'");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void shouldRefuseACamerasFileHoldingAFiftyMegabyteStringBeforeParsingIt() throws Exception {
        Path big =
                HostileFiles.withLongString(dir.resolve("big.yaml"), "cameras:\n  - id: a\n    source: \"", 50, "\"\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CamerasFile.load(big));

        assertThat(e.problems())
                .containsExactly(
                        "cannot read it: it holds more than 1024 KiB, far more than such a file needs; it is not read");
    }

    @Test
    void shouldSayWhatIsWrongWithAFileThatIsNotYaml() throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), "cameras: [ {id: a\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CamerasFile.load(file));

        assertThat(e.problems()).singleElement().asString().startsWith("not valid YAML: ");
        assertThat(catchThrowableOfType(ConfigException.class, () -> CamerasFile.load(dir.resolve("none.yaml")))
                        .problems())
                .containsExactly("no such file");
    }

    @Test
    void shouldRefuseCameraIdsThatWouldNameAnotherDirectory() {
        for (String id : List.of("..", ".", ".hidden", "a/b", "../x")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CameraSpec.of(id, "/data/x.mp4"))
                    .as(id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starting with a letter or digit");
        }
    }
}
