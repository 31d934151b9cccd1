package io.segstream.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FFmpegErrorTest {

    /** AVERROR(ENOSPC). */
    private static final int NO_SPACE = -28;

    @Test
    void shouldEndFFmpegsErrorTextAtItsNul() {
        assertThat(FFmpegError.text(NO_SPACE)).isEqualTo("No space left on device");
    }

    @Test
    void shouldNameAFullDiskInOneCleanLineWhenTheVideoCannotBeWritten() {
        Path full = Path.of("/dev/full"); // every write: ENOSPC
        assertThatThrownBy(() -> {
                    try (H264Mp4Writer w = new H264Mp4Writer(full, 64, 48, 25, H264Mp4Writer.PRESET)) {
                        for (int i = 0; i < 50; i++) {
                            w.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), () -> {});
                        }
                        w.awaitWritten();
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("No space left on device")
                .hasMessageNotContaining("\0");
    }
}
