package io.segstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.ingest.BadFiles;
import io.segstream.media.YuvPicture;
import io.segstream.protocol.Size;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@IntegrationTest
class FFmpegSourceTest {

    @TempDir
    Path dir;

    private static FrameSource file(Path path) {
        return new FFmpegSource(SourceSpec.of(path.toString()), Duration.ofSeconds(5), Optional.empty());
    }

    @Test
    void shouldDecodeARealClipWithAnAudioTrackToItsVideoFramesOnly() throws Exception {
        Path clip = Assets.require(Assets.DRIVING_CLIP);
        int frames = 0;
        try (FrameSource source = file(clip)) {
            source.open();
            assertThat(source.lengthHint()).isEqualTo(38);
            Optional<DecodedFrame> f;
            while ((f = source.next()).isPresent()) {
                assertThat(f.get().picture().toImage().getWidth()).isEqualTo(1280);
                frames++;
            }
        }
        assertThat(frames).isEqualTo(38);
    }

    @Test
    void shouldDownscaleToFitTheMaximumSizeKeepingTheAspectRatio() throws Exception {
        Path clip = Clips.write(dir.resolve("big.mp4"), 3, 320, 180, avcodec.AV_CODEC_ID_H264);
        try (FrameSource source = new FFmpegSource(
                SourceSpec.of(clip.toString()), Duration.ofSeconds(5), Optional.of(new Size(160, 160)))) {
            source.open();
            DecodedFrame f = source.next().orElseThrow();
            assertThat(f.picture().width()).isEqualTo(160);
            assertThat(f.picture().height()).isEqualTo(90);
        }
    }

    @Test
    void shouldNameAnUnsupportedCodec() throws Exception {
        Path clip = BadFiles.unsupportedCodec(dir);
        FrameSource source = file(clip);

        assertThatThrownBy(source::open)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported video codec");
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "H264, clip.mp4",
        "MPEG4, clip.mp4",
        "MPEG4, clip.avi",
        "H264, clip.mkv",
        "H264, clip.mov",
        "MPEG2VIDEO, clip.ts"
    })
    void shouldDecodeEveryFrameWithItsPixelsAndTimes(String codec, String name) throws Exception {
        int id = switch (codec) {
            case "H264" -> avcodec.AV_CODEC_ID_H264;
            case "MPEG4" -> avcodec.AV_CODEC_ID_MPEG4;
            default -> avcodec.AV_CODEC_ID_MPEG2VIDEO;
        };
        Path clip = Clips.write(dir.resolve(name), 12, 96, 64, id);

        List<Integer> levels = new ArrayList<>();
        List<Long> pts = new ArrayList<>();
        try (FrameSource source = file(clip)) {
            source.open();
            assertThat(source.frameRate()).isEqualTo(10.0);
            Optional<DecodedFrame> f;
            while ((f = source.next()).isPresent()) {
                assertThat(f.get().picture().toImage().getWidth()).isEqualTo(96);
                assertThat(f.get().picture().toImage().getHeight()).isEqualTo(64);
                // FFmpeg pads rows (96 to 128 bytes): the packed planes must not carry the padding
                YuvPicture yuv = (YuvPicture) f.get().picture();
                assertThat(yuv.data()).hasSize(96 * 64 + 2 * 48 * 32);
                int lastLuma = yuv.data()[95 + 63 * 96] & 0xFF;
                int lastChroma = yuv.data()[yuv.offset(2) + 47 + 31 * 48] & 0xFF;
                assertThat(lastLuma)
                        .as("Y at the last pixel")
                        .isBetween(Clips.level(levels.size()) - 4, Clips.level(levels.size()) + 4);
                assertThat(lastChroma)
                        .as("V at the last pixel of a grey picture")
                        .isBetween(124, 132);
                int rgb = f.get().picture().toImage().getRGB(48, 32);
                levels.add(((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3);
                pts.add(f.get().ptsMicros());
            }
        }

        assertThat(levels).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(levels.get(i)).as("grey level of frame %d", i).isBetween(Clips.level(i) - 4, Clips.level(i) + 4);
        }
        assertThat(pts).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldSayThatAMissingFileDoesNotExist() {
        FrameSource source = file(dir.resolve("nope.mp4"));

        assertThatThrownBy(source::open).isInstanceOf(IOException.class).hasMessage("no such file");
    }

    @Test
    void shouldSayThatAnEmptyFileIsEmpty() throws IOException {
        FrameSource source = file(Files.createFile(dir.resolve("empty.mp4")));

        assertThatThrownBy(source::open).isInstanceOf(IOException.class).hasMessage("the file is empty");
    }

    @Test
    void shouldRefuseGarbageBytesAsVideo() throws IOException {
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(garbage);
        FrameSource source = file(Files.write(dir.resolve("garbage.mp4"), garbage));

        assertThatThrownBy(source::open)
                .isInstanceOf(IOException.class)
                .hasMessage("FFmpeg cannot read it as video (moov atom not found)");
    }
}
