package io.segstream.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.source.SourceSpec;
import io.segstream.protocol.Topics;
import io.segstream.testkit.Schemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraRecordsTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCarryACameraOfTheCamerasFileThroughTheTopicUnchanged() throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), """
                defaults:
                  fps: 10
                cameras:
                  - id: front
                    source: rtsp://10.0.0.7:554/stream1
                    rtsp-transport: udp
                    max-size: 1280x720
                    options: {probesize: "500000"}
                """);
        CameraSettings written = CamerasFile.entries(file).get(0);

        byte[] value = CameraRecords.encode(written);
        CameraSettings read = CameraRecords.decode("front", value);

        Schemas.assertValid(Schemas.CAMERA, new String(value, StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(written);
        CameraSpec spec = read.bind("front", new ArrayList<>()).orElseThrow();
        assertThat(spec.live()).isTrue();
        assertThat(spec.targetFps()).hasValue(10.0);
        assertThat(spec.source().options())
                .containsEntry("rtsp_transport", "udp")
                .containsEntry("probesize", "500000");
        assertThat(CameraRecords.toCamerasFile(List.of(read)))
                .contains("id: \"front\"")
                .contains("source: \"rtsp://10.0.0.7:554/stream1\"");
    }

    @Test
    void shouldRefuseEveryRecordThatIsNotACameraInFewLinesNamingIt() {
        assertRefused("front", utf8("{\"source\": \"rtsp://x\""), "not valid JSON");
        assertRefused("front", utf8("[1, 2]"), "must be a JSON object");
        assertRefused("front", utf8("{\"source\": \"rtsp://x/a\", \"colour\": \"red\"}"), "unknown key 'colour'");
        assertRefused("front", utf8("{\"source\": \"rtsp://x/a\", \"fps\": -1}"), "fps: must be > 0");
        assertRefused("front", utf8("{\"fps\": 5}"), "source is required");
        assertRefused("front", utf8("{\"id\": \"back\", \"source\": \"rtsp://x/a\"}"), "is not the record key");
        assertRefused("../etc", utf8("{\"source\": \"rtsp://x/a\"}"), "the key must be a camera id");
        assertRefused(null, utf8("{\"source\": \"rtsp://x/a\"}"), "the key must be a camera id");
        assertRefused("front", new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}, "not UTF-8");
        assertRefused("front", utf8("{\"source\": \"gopher://x/a\"}"), "unsupported source scheme");
        assertRefused(
                "front",
                utf8("{\"source\": \"https://x/a.m3u8\", \"options\": {\"protocol_whitelist\": \"file,http\"}}"),
                "protocol_whitelist is not an FFmpeg option a camera record may set");
        assertRefused(
                "front",
                utf8("{\"source\": \"rtsp://x/a\", \"max-size\": \"" + "9".repeat(60_000) + "x\"}"),
                "max-size");
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        assertRefused("front", huge, "10485760 bytes, more than the " + Topics.MAX_CAMERA_RECORD_BYTES);
        StringBuilder deep = new StringBuilder("{\"source\": \"rtsp://x/a\", \"options\": ");
        deep.append("{\"a\": ".repeat(20)).append("1").append("}".repeat(20)).append('}');
        assertRefused("front", utf8(deep.toString()), "front");
    }

    private static void assertRefused(String key, byte[] value, String why) {
        assertThatThrownBy(() -> CameraRecords.decode(key, value)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(String.join("\n", e.problems()) + " " + e.getMessage()).contains(why);
            assertThat(e.problems()).hasSizeLessThanOrEqualTo(5);
            assertThat(e.getMessage().length()).isLessThan(2_000);
        });
    }

    @Test
    void shouldReadLocalMediaOnlyUnderTheRootsTheOperatorNamed() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Files.createDirectories(media.resolve("drives"));
        Files.createSymbolicLink(media.resolve("escape"), Path.of("/etc"));
        MediaRoots roots = new MediaRoots(List.of(media));

        assertThat(roots.refusal(SourceSpec.of(media.resolve("drives/0042.mp4").toString())))
                .isEmpty();
        assertThat(roots.refusal(SourceSpec.of(media.resolve("drives") + "/*.png")))
                .isEmpty();
        assertThat(roots.refusal(SourceSpec.of("rtsp://10.0.0.7/stream"))).isEmpty();
        assertThat(roots.refusal(SourceSpec.of("/etc/passwd")))
                .hasValueSatisfying(r -> assertThat(r).contains("outside the media roots"));
        assertThat(roots.refusal(SourceSpec.of(media.resolve("../secret.mp4").toString())))
                .isPresent();
        assertThat(roots.refusal(SourceSpec.of(media.resolve("escape/passwd").toString())))
                .as("a link out of the root")
                .isPresent();
        assertThat(roots.refusal(SourceSpec.of("/dev/video0"))).isPresent();
        assertThat(MediaRoots.NONE.refusal(
                        SourceSpec.of(media.resolve("drives/0042.mp4").toString())))
                .hasValueSatisfying(r -> assertThat(r).contains("--media-root"));
        assertThat(MediaRoots.NONE.refusal(SourceSpec.of("srt://10.0.0.7:9000")))
                .isEmpty();
    }

    @Test
    void shouldKeepOptionsAsTheyAreWritten() throws Exception {
        CameraSettings c = new CameraSettings(
                Map.of("id", "cam", "source", "rtsp://10.0.0.7/s", "mode", "live"), Map.of("probesize", "32"));
        assertThat(CameraRecords.decode("cam", CameraRecords.encode(c))).isEqualTo(c);
    }
}
