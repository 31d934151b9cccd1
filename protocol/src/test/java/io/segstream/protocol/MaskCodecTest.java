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
}
