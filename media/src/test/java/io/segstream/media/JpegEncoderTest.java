package io.segstream.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.testkit.Clips;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {

    @Test
    void shouldMapJpegQualityOntoFfmpegsQuantiser() {
        assertThat(JpegEncoder.qscale(100)).isEqualTo(2);
        assertThat(JpegEncoder.qscale(90)).isEqualTo(3);
        assertThat(JpegEncoder.qscale(75)).isEqualTo(6);
        assertThat(JpegEncoder.qscale(1)).isEqualTo(21);
    }

    @Test
    void shouldRefuseAQuantiserOutsideFfmpegsScale() {
        assertThatThrownBy(() -> JpegEncoder.ofQscale(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JPEG qscale must be 2..31, got 1");
        assertThatThrownBy(() -> JpegEncoder.ofQscale(32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSubsampleAnOddSizedPictureCroppedToEvenSidesWithItsColours() throws Exception {
        try (JpegEncoder jpeg = JpegEncoder.ofQscale(4)) {
            for (int[] size : new int[][] {{101, 67}, {64, 48}, {101, 67}}) {
                BufferedImage back =
                        ImageIO.read(new ByteArrayInputStream(jpeg.encodeSubsampled(Clips.halves(size[0], size[1]))));

                assertThat(back.getWidth()).isEqualTo(size[0] & ~1);
                assertThat(back.getHeight()).isEqualTo(size[1] & ~1);
                assertThat(new Color(back.getRGB(back.getWidth() / 4, back.getHeight() / 2)).getRed())
                        .isGreaterThan(230);
                assertThat(new Color(back.getRGB(3 * back.getWidth() / 4, back.getHeight() / 2)).getBlue())
                        .isGreaterThan(230);
            }
        }
    }

    @Test
    void shouldRefuseAPictureThatIsNotBgrOrTooSmallToSubsample() {
        try (JpegEncoder jpeg = JpegEncoder.ofQscale(4)) {
            assertThatThrownBy(() -> jpeg.encodeSubsampled(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3-byte BGR");
            assertThatThrownBy(() -> jpeg.encodeSubsampled(new BufferedImage(1, 9, BufferedImage.TYPE_3BYTE_BGR)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("picture of 1x9 is too small");
        }
    }
}
