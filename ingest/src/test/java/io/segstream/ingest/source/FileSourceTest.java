package io.segstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.testkit.Clips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FileSourceTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"H264, clip.mp4", "MPEG4, clip.mp4", "MPEG4, clip.avi", "H264, clip.mkv"})
    void shouldDecodeEveryFrameWithItsPixelsAndTimes(String codec, String name) throws Exception {
        int id = codec.equals("H264") ? avcodec.AV_CODEC_ID_H264 : avcodec.AV_CODEC_ID_MPEG4;
        Path clip = Clips.write(dir.resolve(name), 12, 96, 64, id);

        List<Integer> levels = new ArrayList<>();
        List<Long> pts = new ArrayList<>();
        try (FileSource source = new FileSource(clip)) {
            source.open();
            assertThat(source.frameRate()).isEqualTo(10.0);
            Optional<DecodedFrame> f;
            while ((f = source.next()).isPresent()) {
                assertThat(f.get().image().getWidth()).isEqualTo(96);
                assertThat(f.get().image().getHeight()).isEqualTo(64);
                levels.add(f.get().image().getRGB(48, 32) & 0xFF);
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
        FileSource source = new FileSource(dir.resolve("nope.mp4"));

        assertThatThrownBy(source::open).isInstanceOf(IOException.class).hasMessage("no such file");
    }

    @Test
    void shouldSayThatAnEmptyFileIsEmpty() throws IOException {
        FileSource source = new FileSource(Files.createFile(dir.resolve("empty.mp4")));

        assertThatThrownBy(source::open).isInstanceOf(IOException.class).hasMessage("the file is empty");
    }

    @Test
    void shouldRefuseGarbageBytesAsVideo() throws IOException {
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(garbage);
        FileSource source = new FileSource(Files.write(dir.resolve("garbage.mp4"), garbage));

        assertThatThrownBy(source::open).isInstanceOf(IOException.class).hasMessage("FFmpeg cannot read it as video (moov atom not found)");
    }
}
