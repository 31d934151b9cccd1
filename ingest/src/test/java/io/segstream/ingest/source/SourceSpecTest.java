package io.segstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.protocol.Size;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceSpecTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "rtsp://10.0.0.7:554/stream1, RTSP",
        "rtsps://cam.example/live, RTSP",
        "http://cam/live.ts, HTTP",
        "https://cdn.example/drive/index.m3u8?token=abc, HLS",
        "udp://0.0.0.0:5000, UDP",
        "rtp://239.0.0.1:5004, RTP",
        "srt://10.0.0.9:9000?mode=caller, SRT",
        "/dev/video0, V4L2",
        "v4l2:///dev/video2, V4L2",
        "drive/front.mp4, FILE",
        "file:///data/front.mkv, FILE",
        "data/leftImg8bit/*.png, IMAGE_SEQUENCE"
    })
    void shouldRecogniseTheKindOfSource(String input, SourceKind kind) {
        assertThat(SourceSpec.of(input).kind()).isEqualTo(kind);
    }

    @Test
    void shouldTakeADirectoryAsAnImageSequenceAndStripTheDevicePrefix() {
        assertThat(SourceSpec.of(dir.toString()).kind()).isEqualTo(SourceKind.IMAGE_SEQUENCE);
        assertThat(SourceSpec.of("v4l2:///dev/video2").ffmpegInput()).isEqualTo("/dev/video2");
    }

    @Test
    void shouldRefuseAnUnknownSchemeNamingTheSupportedOnes() {
        assertThatThrownBy(() -> SourceSpec.of("gopher://old/video"))
                .hasMessageStartingWith(
                        "unsupported source scheme 'gopher://' in gopher://old/video (use rtsp, http(s)");
    }

    @Test
    void shouldFitSizesWithinTheBoxKeepingAspectAndEvenDimensions() {
        assertThat(new Size(1920, 1080).fitWithinEven(Size.parse("1280x1280"))).isEqualTo(new Size(1280, 720));
        assertThat(new Size(2048, 1024).fitWithinEven(Size.parse("1000x1000"))).isEqualTo(new Size(1000, 500));
        assertThat(new Size(640, 480).fitWithinEven(Size.parse("1280x720"))).isEqualTo(new Size(640, 480));
        assertThat(new Size(1001, 333).fitWithinEven(new Size(500, 500))).isEqualTo(new Size(500, 166));
        assertThatThrownBy(() -> Size.parse("big")).hasMessage("a size WIDTHxHEIGHT like 1280x720, got 'big'");
        assertThatThrownBy(() -> CameraSpec.of("cam", "a.mp4").withMaxSize(new Size(1, 720)))
                .hasMessage("max size must be at least 2x2 (video frames), got 1x720");
    }

    @Test
    void shouldSampleAtTheTargetRateOfTheSourceClock() {
        FrameSampler sampler = new FrameSampler(OptionalDouble.of(10));
        int kept = 0;
        for (int i = 0; i < 250; i++) {
            kept += sampler.keep(i * 40_000L) ? 1 : 0; // 25 fps for 10 s
        }
        assertThat(kept).isEqualTo(100);
        assertThat(sampler.keep(0)).as("a new stream starting over at 0").isTrue();
        assertThat(new FrameSampler(OptionalDouble.empty()).keep(5)).isTrue();
    }
}
