package io.segstream.ingest.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.media.BgrPicture;
import io.segstream.media.Picture;
import io.segstream.media.YuvPicture;
import io.segstream.protocol.ImageEncoding;
import io.segstream.testkit.Clips;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PictureEncoderTest {

    private static BufferedImage decode(byte[] bytes) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @CsvSource({"JPEG, 101, 67", "JPEG, 1280, 720", "PNG, 101, 67"})
    void shouldEncodeABgrPictureThatDecodesToItsColours(ImageEncoding encoding, int w, int h) throws Exception {
        try (PictureEncoder encoder = PictureEncoder.of(encoding, 90)) {
            BufferedImage back = decode(encoder.encode(new BgrPicture(Clips.halves(w, h))));

            assertThat(back.getWidth()).isEqualTo(w);
            assertThat(back.getHeight()).isEqualTo(h);
            assertThat(new Color(back.getRGB(w / 4, h / 2)).getRed()).isGreaterThan(230);
            assertThat(new Color(back.getRGB(3 * w / 4, h / 2)).getBlue()).isGreaterThan(230);
        }
    }

    @Test
    void shouldEncodeAYuvPictureAsItIsAndConvertItToBgr() throws Exception {
        int w = 33;
        int h = 17;
        byte[] data = new byte[YuvPicture.size(w, h)];
        YuvPicture grey = new YuvPicture(w, h, data);
        Arrays.fill(data, 0, w * h, (byte) 200);
        Arrays.fill(data, grey.offset(1), data.length, (byte) 128);

        try (PictureEncoder jpeg = PictureEncoder.of(ImageEncoding.JPEG, 95);
                PictureEncoder png = PictureEncoder.of(ImageEncoding.PNG, 0)) {
            for (byte[] bytes : new byte[][] {jpeg.encode(grey), png.encode(grey)}) {
                Color c = new Color(decode(bytes).getRGB(w - 1, h - 1));
                assertThat(java.util.List.of(c.getRed(), c.getGreen(), c.getBlue()))
                        .allSatisfy(v -> assertThat(v).isBetween(196, 204));
            }
        }
        Picture copy = grey.copy();
        data[0] = 0;
        assertThat(((YuvPicture) copy).data()[0]).as("a copy is independent").isEqualTo((byte) 200);
    }

    @Test
    void shouldKeepFullColourResolutionForStillPicturesAndFourTwoZeroForVideo() throws Exception {
        int w = 32;
        int h = 16;
        try (PictureEncoder jpeg = PictureEncoder.of(ImageEncoding.JPEG, 95)) {
            assertThat(chromaSubsampling(jpeg.encode(new BgrPicture(Clips.halves(w, h)))))
                    .as("a still picture: 4:4:4")
                    .isEqualTo("1x1");
            YuvPicture video = new YuvPicture(w, h, new byte[YuvPicture.size(w, h)]);
            assertThat(chromaSubsampling(jpeg.encode(video)))
                    .as("a video frame: 4:2:0")
                    .isEqualTo("2x2");
        }
    }

    /**
     * How much coarser the chroma is than the luma, "HxV", from the sampling factors of the first
     * (Y) and second (Cb) components in the JPEG's start-of-frame segment.
     */
    private static String chromaSubsampling(byte[] jpeg) {
        for (int i = 2; i + 14 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
            if (marker == 0xC0 || marker == 0xC1) {
                int y = jpeg[i + 11] & 0xFF;
                int cb = jpeg[i + 14] & 0xFF;
                return (y >> 4) / (cb >> 4) + "x" + (y & 0xF) / (cb & 0xF);
            }
            i += 2 + length;
        }
        throw new AssertionError("no start-of-frame segment");
    }
}
