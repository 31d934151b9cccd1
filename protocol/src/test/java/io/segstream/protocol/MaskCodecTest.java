package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskCodecTest {

    @Test
    void shouldRoundTripEveryLabelLosslessly() {
        byte[] labels = new byte[321 * 123];
        new Random(7).nextBytes(labels);
        LabelMap map = new LabelMap(321, 123, labels);

        LabelMap back = MaskCodec.decode(MaskCodec.encode(map));

        assertThat(back.width()).isEqualTo(321);
        assertThat(back.height()).isEqualTo(123);
        assertThat(back.labels()).isEqualTo(labels);
    }

    @Test
    void shouldCompressAClassMapWellBelowItsRawSize() {
        byte[] labels = new byte[1280 * 720];
        for (int y = 0; y < 720; y++) {
            for (int x = 0; x < 1280; x++) {
                labels[y * 1280 + x] = (byte) (y < 300 ? 10 : x < 640 ? 0 : 13);
            }
        }

        byte[] png = MaskCodec.encode(new LabelMap(1280, 720, labels));

        assertThat(png.length).isLessThan(labels.length / 50);
    }

    @Test
    void shouldRejectBytesThatAreNoPng() {
        assertThatThrownBy(() -> MaskCodec.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("not a PNG");
    }

    @Test
    void shouldRejectALabelArrayOfTheWrongLength() {
        assertThatThrownBy(() -> new LabelMap(4, 4, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 16 labels, got 15");
    }

    @Test
    void shouldCarryAMaskThroughTheSerdeAndTreatAnEmptyValueAsNoMask() {
        MaskSerde serde = new MaskSerde();
        byte[] labels = {0, 13, 13, 10, 0, 18};
        LabelMap map = new LabelMap(3, 2, labels);

        byte[] wire = serde.serializer().serialize("masks", map);

        assertThat(serde.deserializer().deserialize("masks", wire).labels()).containsExactly(labels);
        assertThat(serde.deserializer().deserialize("masks", new byte[0])).isNull();
        assertThat(serde.serializer().serialize("masks", null)).isNull();
    }

    @Test
    void shouldUndoEveryPngRowFilterAsImageIoDoes() throws Exception {
        int w = 37;
        int h = 10;
        byte[] labels = new byte[w * h];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (random.nextInt(5) == 0 ? random.nextInt(256) : i / w * 13 + (i % w) / 9);
        }
        byte[] png = pngWithEveryFilter(w, h, labels);

        LabelMap decoded = MaskCodec.decode(png);

        assertThat(decoded.labels()).containsExactly(labels);
        java.awt.image.BufferedImage viaImageIo = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat(((java.awt.image.DataBufferByte) viaImageIo.getRaster().getDataBuffer()).getData())
                .containsExactly(labels);
    }

    @Test
    void shouldNameAMaskWhosePixelDataIsCutShort() throws Exception {
        byte[] png = pngWithEveryFilter(16, 16, new byte[256]);
        byte[] cut = java.util.Arrays.copyOf(png, png.length - 30);

        assertThatThrownBy(() -> MaskCodec.decode(cut)).isInstanceOf(MalformedRecordException.class);
    }

    /** A greyscale 8-bit PNG whose rows use filters 0, 1, 2, 3, 4, 0, ... in turn. */
    private static byte[] pngWithEveryFilter(int w, int h, byte[] px) throws Exception {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            int filter = y % 5;
            raw.write(filter);
            for (int x = 0; x < w; x++) {
                int v = px[y * w + x] & 0xFF;
                int a = x > 0 ? px[y * w + x - 1] & 0xFF : 0;
                int b = y > 0 ? px[(y - 1) * w + x] & 0xFF : 0;
                int c = x > 0 && y > 0 ? px[(y - 1) * w + x - 1] & 0xFF : 0;
                int pred = switch (filter) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >> 1;
                    case 4 -> paeth(a, b, c);
                    default -> 0;
                };
                raw.write((v - pred) & 0xFF);
            }
        }
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
            d.write(raw.toByteArray());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(
                out,
                "IHDR",
                java.nio.ByteBuffer.allocate(13)
                        .putInt(w)
                        .putInt(h)
                        .put((byte) 8)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
