package io.segstream.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segstream.testkit.Clips;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PictureDecoderTest {

    @Test
    void shouldDecodeAJpegAndAPngToTheirRgbColours() throws Exception {
        BufferedImage halves = Clips.halves(64, 32);
        byte[] jpeg;
        try (JpegEncoder encoder = JpegEncoder.ofQuality(95)) {
            jpeg = encoder.encode(new BgrPicture(halves));
        }
        try (PictureDecoder decoder = new PictureDecoder()) {
            for (byte[] picture : new byte[][] {jpeg, png(halves), jpeg}) {
                byte[] rgb = decoder.decodeRgb(picture, 64, 32);

                assertThat(rgb).hasSize(64 * 32 * 3);
                int left = (16 * 64 + 10) * 3;
                int right = (16 * 64 + 50) * 3;
                assertThat(rgb[left] & 0xFF).as("red on the left").isGreaterThan(230);
                assertThat(rgb[left + 2] & 0xFF).isLessThan(25);
                assertThat(rgb[right + 2] & 0xFF).as("blue on the right").isGreaterThan(230);
                assertThat(rgb[right] & 0xFF).isLessThan(25);
            }
        }
    }

    @Test
    void shouldDecodeSmallPicturesOfEveryWidthWithoutWritingPastItsBuffers() throws Exception {
        // swscale converts several pixels at a time: a buffer of exactly w*h*3 bytes was overrun
        // (glibc aborted the JVM: "corrupted size vs. prev_size")
        try (PictureDecoder decoder = new PictureDecoder()) {
            List<Integer> widths =
                    new ArrayList<>(IntStream.rangeClosed(2, 48).boxed().toList());
            widths.addAll(List.of(1279, 1921));
            for (int w : widths) {
                int h = w > 48 ? 719 : 2 + w % 7;
                byte[] jpeg = imageIo(Clips.halves(w, h), "jpeg"); // 4:2:0, as cameras send
                assertThat(decoder.decodeRgb(jpeg, w, h)).hasSize(w * h * 3);
                assertThat(decoder.decode(jpeg).getWidth()).isEqualTo(w);
            }
        }
    }

    @Test
    void shouldRefuseAPictureOfAnotherSizeThanItsHeadersBeforeDecodingIt() throws Exception {
        byte[] png = png(Clips.halves(64, 32));
        try (PictureDecoder decoder = new PictureDecoder()) {
            assertThatThrownBy(() -> decoder.decodeRgb(png, 40000, 40000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the picture is 64x32, but its headers say 40000x40000");
        }
    }

    @Test
    void shouldRefuseAPictureBeyondTheFrameLimitsBeforeAllocatingIt() {
        // a PNG header claiming 65535x65535 (12 GB as RGB) and nothing else, as a record's bytes may
        ByteBuffer png = ByteBuffer.allocate(33);
        png.putLong(0x89504E470D0A1A0AL)
                .putInt(13)
                .putInt(0x49484452)
                .putInt(65535)
                .putInt(65535);
        try (PictureDecoder decoder = new PictureDecoder()) {
            assertThatThrownBy(() -> decoder.decodeRgb(png.array(), 65535, 65535))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65535x65535 is outside the limits");
        }
    }

    @Test
    void shouldRefuseBytesThatAreNoPictureOrACutJpegInOneMessage() throws Exception {
        byte[] jpeg;
        try (JpegEncoder encoder = JpegEncoder.ofQuality(90)) {
            jpeg = encoder.encode(new BgrPicture(Clips.halves(64, 32)));
        }
        try (PictureDecoder decoder = new PictureDecoder()) {
            assertThatThrownBy(() -> decoder.decodeRgb(new byte[100], 64, 32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("frame bytes are not a JPEG or PNG picture (100 bytes)");
            byte[] header = Arrays.copyOf(jpeg, 200);
            assertThatThrownBy(() -> decoder.decodeRgb(header, 64, 32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("JPEG");
            assertThat(decoder.decodeRgb(jpeg, 64, 32))
                    .as("the decoder goes on")
                    .hasSize(64 * 32 * 3);
        }
    }

    private static byte[] png(BufferedImage image) throws Exception {
        return imageIo(image, "png");
    }

    private static byte[] imageIo(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
