package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelDescriptionJsonTest {

    private static final Taxonomy SIGNATE = new Taxonomy(
            "signate",
            List.of(
                    new SegmentationClass(0, "background", 0),
                    new SegmentationClass(1, "lane", 0x452f8e),
                    new SegmentationClass(2, "signal", 0xffff00),
                    new SegmentationClass(3, "pedestrian", 0xff0000),
                    new SegmentationClass(4, "car", 0x0000ff)));

    @Test
    void shouldReadBackWhatItWrites() {
        ModelDescription d = new ModelDescription(
                "signate",
                SIGNATE,
                new DrivingGroups(List.of(1), List.of(4), List.of(3), List.of()),
                Optional.of(new Size(1025, 513)),
                SizingMode.FIT,
                Scale.parse("912px"));

        String json = ModelDescriptionJson.write(d);
        ModelDescription back = ModelDescriptionJson.read(json);

        assertThat(json)
                .contains("\"groups\":{\"drivable\":[\"lane\"],\"vehicles\":[\"car\"],\"persons\":[\"pedestrian\"],"
                        + "\"twoWheelers\":[]}")
                .contains("\"color\":\"#452f8e\"")
                .contains("\"crop\":{\"width\":1025,\"height\":513}");
        assertThat(back.model()).isEqualTo("signate");
        assertThat(back.taxonomy().classes()).isEqualTo(SIGNATE.classes());
        assertThat(back.groups()).isEqualTo(d.groups());
        assertThat(back.crop()).isEqualTo(d.crop());
        assertThat(back.scale()).isEqualTo(d.scale());
        assertThat(back.sizing()).isEqualTo(SizingMode.FIT);
    }

    @Test
    void shouldGiveCityscapesGroupsByNameAndNoneToATaxonomyWithoutThoseNames() {
        DrivingGroups city = DrivingGroups.byDefaultNames(Cityscapes.TAXONOMY);
        assertThat(city.drivable()).containsExactly(Cityscapes.ROAD);
        assertThat(city.vehicles()).containsExactly(Cityscapes.CAR, Cityscapes.TRUCK, Cityscapes.BUS, Cityscapes.TRAIN);
        assertThat(city.twoWheelers()).containsExactly(Cityscapes.MOTORCYCLE, Cityscapes.BICYCLE);
        DrivingGroups neutral = DrivingGroups.byDefaultNames(Taxonomy.neutral(5));
        assertThat(List.of(neutral.drivable(), neutral.vehicles(), neutral.persons(), neutral.twoWheelers()))
                .allMatch(List::isEmpty);
        assertThat(Taxonomy.neutral(5).get(4).name()).isEqualTo("class 4");
    }

    @Test
    void shouldRefuseUntrustedDescriptionsWithOneClearReason() {
        assertThatThrownBy(() -> ModelDescriptionJson.read(new byte[ModelDescriptionJson.MAX_BYTES + 1]))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("1.." + ModelDescriptionJson.MAX_BYTES);
        assertThatThrownBy(() -> ModelDescriptionJson.read("{\"model\":\"m\",\"classes\":[]}"))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("'classes' must be a list of 1..255");
        assertThatThrownBy(() -> ModelDescriptionJson.read("{\"model\":\"m\",\"classes\":[{\"id\":0,\"name\":\"a\","
                        + "\"color\":\"#000000\"}],\"groups\":{\"drivable\":[\"road\"]}}"))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("names no class of the model: 'road'");
        assertThatThrownBy(() -> ModelDescriptionJson.read(
                        "{\"model\":\"m\",\"classes\":[{\"id\":3,\"name\":\"a\"," + "\"color\":\"#000000\"}]}"))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("has id 3");
        String hostileSizing = "{\"model\":\"m\",\"classes\":[{\"id\":0,\"name\":\"a\",\"color\":\"#000000\"}],"
                + "\"sizing\":\"" + "x".repeat(60_000) + "\"}";
        assertThatThrownBy(() -> ModelDescriptionJson.read(hostileSizing))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("sizing must be native, fit, resize or tiles, got 'xxxxxxxxxxxxxxxx…'");
        assertThatThrownBy(() -> ModelDescriptionJson.read("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void shouldParseScalesAsFactorsOrWidthsWithinBounds() {
        assertThat(Scale.parse("2").apply(1280, 720)).isEqualTo(new Size(2560, 1440));
        assertThat(Scale.parse("912px").apply(1280, 720)).isEqualTo(new Size(912, 513));
        assertThat(Scale.parse("1.5").toString()).isEqualTo("1.5");
        assertThatThrownBy(() -> Scale.parse("100")).hasMessageContaining("within 0.05..8");
        assertThatThrownBy(() -> Scale.parse("99999px")).hasMessageContaining("within 16..8192 px");
        assertThatThrownBy(() -> Scale.parse("big"))
                .hasMessage("scale: a factor like 1.5 or a width like 912px, got 'big'");
    }
}
