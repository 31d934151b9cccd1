package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Records of other producers are untrusted: every size, count and key is checked before it is used. */
class UntrustedRecordsTest {

    private static FrameMeta meta() {
        return new FrameMeta(UUID.randomUUID(), 3, 0, 1, 64, 48, ImageEncoding.JPEG, -1, 25, false);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseAFrameSizeBeyondTheLimitsOrAnOutOfRangeValue() {
        RecordHeaders huge = new RecordHeaders();
        WireHeaders.writeFrame(huge, "cam", meta());
        huge.remove(WireHeaders.WIDTH).add(WireHeaders.WIDTH, utf8("100000"));
        huge.remove(WireHeaders.HEIGHT).add(WireHeaders.HEIGHT, utf8("100000"));
        assertThatThrownBy(() -> WireHeaders.readFrame(huge))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("100000x100000 is outside the limits");

        RecordHeaders negative = new RecordHeaders();
        WireHeaders.writeFrame(negative, "cam", meta());
        negative.remove(WireHeaders.SEQUENCE).add(WireHeaders.SEQUENCE, utf8("-1"));
        assertThatThrownBy(() -> WireHeaders.readFrame(negative))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("sequence must be >= 0");

        RecordHeaders end = new RecordHeaders();
        WireHeaders.writeEndOfStream(end, "cam", new EndOfStream(UUID.randomUUID(), 1));
        end.remove(WireHeaders.FRAME_COUNT).add(WireHeaders.FRAME_COUNT, utf8("-5"));
        assertThatThrownBy(() -> WireHeaders.readEndOfStream(end))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("frame count must be >= 0");
    }

    @Test
    void shouldCarryTheModelDigestOnAMaskAndRefuseOneOfAnotherForm() {
        String digest = ModelDescriptionJson.digest(ModelDescription.of("m", Cityscapes.TAXONOMY));
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, "cam", new MaskMeta(meta(), "m", 1, MaskStatus.OK, digest));

        assertThat(digest).hasSize(64).matches("[0-9a-f]+");
        assertThat(WireHeaders.readMask(headers).modelDigest()).isEqualTo(digest);
        for (String bad : new String[] {"abc", digest.toUpperCase(java.util.Locale.ROOT), "z".repeat(64)}) {
            headers.remove(WireHeaders.MODEL_DIGEST);
            headers.add(WireHeaders.MODEL_DIGEST, bad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThatThrownBy(() -> WireHeaders.readMask(headers))
                    .as(bad)
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining("digest");
        }
        headers.remove(WireHeaders.MODEL_DIGEST);
        assertThat(WireHeaders.readMask(headers).modelDigest())
                .as("absent: none")
                .isEmpty();
    }

    @Test
    void shouldRefuseAMaskPngClaimingAHugePictureBeforeInflatingIt() {
        byte[] png = MaskCodec.encode(new LabelMap(64, 48, new byte[64 * 48]));
        ByteBuffer.wrap(png).putInt(16, 40_000).putInt(20, 40_000);

        assertThatThrownBy(() -> MaskCodec.decode(png, 64, 48))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("mask PNG is 40000x40000, its frame 64x48");
        assertThatThrownBy(() -> MaskCodec.decode(png))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("40000x40000 is outside the limits");
        assertThatThrownBy(() -> MaskCodec.decode(new byte[] {1, 2, 3})).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void shouldReadAPicturesSizeFromItsHeaderAlone() throws Exception {
        for (String format : new String[] {"jpeg", "png"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(96, 40, BufferedImage.TYPE_3BYTE_BGR), format, out);
            assertThat(PictureSize.read(out.toByteArray())).as(format).hasValue(new Size(96, 40));
        }
        assertThat(PictureSize.read(new byte[100])).isEmpty();
    }

    @Test
    void shouldTakeOnlyCameraIdsThatCannotLeaveADirectory() {
        assertThat(CameraId.valid("front-1.left_cam")).isTrue();
        for (String bad :
                new String[] {".", "..", "../../x", "/abs", "a/b", "a\\\\b", "", ".hidden", "x".repeat(129)}) {
            assertThat(CameraId.valid(bad)).as(bad).isFalse();
        }
        assertThat(CameraId.quote("a\nb")).isEqualTo("'a\\u000ab'");
    }
}
