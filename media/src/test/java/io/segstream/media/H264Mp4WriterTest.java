package io.segstream.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.testkit.Clips;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H264Mp4WriterTest {

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryFrameAwaitedEvenWhenTheWriterIsNeverClosed() throws Exception {
        Path video = dir.resolve("abandoned.mp4");
        H264Mp4Writer writer = new H264Mp4Writer(video, 96, 64, 25, H264Mp4Writer.PRESET);
        for (int i = 0; i < 10; i++) {
            writer.write(picture(96, 64, i));
        }
        writer.awaitWritten(); // what the sink does before each commit
        // no close(): as if the process had been killed

        assertThat(Clips.frameCount(video)).isEqualTo(10);
        writer.close();
    }

    @Test
    void shouldRunWhatFollowsAFrameOnceItIsInTheFileInOrder() throws Exception {
        Path video = dir.resolve("ordered.mp4");
        java.util.List<Integer> done = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (H264Mp4Writer writer = new H264Mp4Writer(video, 96, 64, 25, H264Mp4Writer.PRESET)) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                writer.write(picture(96, 64, i), () -> done.add(n));
            }
            writer.awaitWritten();
            assertThat(done)
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 20).boxed().toList());
        }
        assertThat(Clips.frameCount(video)).isEqualTo(20);
    }

    @Test
    void shouldScaleAnOddSizeToTheEvenSizeBelow() throws Exception {
        Path video = dir.resolve("odd.mp4");
        try (H264Mp4Writer writer = new H264Mp4Writer(video, 97, 65, 10, H264Mp4Writer.PRESET)) {
            writer.write(picture(97, 65, 1));
            writer.write(picture(97, 65, 2));
        }

        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            assertThat(List.of(g.getImageWidth(), g.getImageHeight())).containsExactly(96, 64);
        }
        assertThat(Clips.frameCount(video)).isEqualTo(2);
    }

    @Test
    void shouldRefuseAPictureOfAnotherSizeNamingBoth() throws Exception {
        try (H264Mp4Writer writer = new H264Mp4Writer(dir.resolve("x.mp4"), 96, 64, 25, H264Mp4Writer.PRESET)) {
            assertThatThrownBy(() -> writer.write(picture(64, 64, 0)))
                    .hasMessageContaining("64x64")
                    .hasMessageContaining("96x64");
        }
    }

    private static BufferedImage picture(int w, int h, int i) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        var g = img.createGraphics();
        g.setColor(new Color(i * 20 % 256, 80, 160));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }
}
