package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CityscapesTest {

    @Test
    void shouldHaveTheNineteenTrainIdsInOrder() {
        Taxonomy t = Cityscapes.TAXONOMY;

        assertThat(t.size()).isEqualTo(19);
        assertThat(t.get(0).name()).isEqualTo("road");
        assertThat(t.get(10).name()).isEqualTo("sky");
        assertThat(t.get(Cityscapes.CAR).name()).isEqualTo("car");
        assertThat(t.get(18).name()).isEqualTo("bicycle");
    }

    @Test
    void shouldUseTheStandardCityscapesPalette() {
        assertThat(Cityscapes.TAXONOMY.get(Cityscapes.ROAD).rgb()).isEqualTo(0x804080); // 128,64,128
        assertThat(Cityscapes.TAXONOMY.get(Cityscapes.CAR).rgb()).isEqualTo(0x00008E); // 0,0,142
        assertThat(Cityscapes.TAXONOMY.get(Cityscapes.PERSON).rgb()).isEqualTo(0xDC143C); // 220,20,60
        Set<Integer> colours = new HashSet<>();
        Cityscapes.TAXONOMY.classes().forEach(c -> colours.add(c.rgb()));
        assertThat(colours).hasSize(19);
    }

    @Test
    void shouldFindAClassByName() {
        assertThat(Cityscapes.TAXONOMY.byName("traffic sign"))
                .map(SegmentationClass::id)
                .contains(7);
        assertThat(Cityscapes.TAXONOMY.byName("unicorn")).isEmpty();
    }
}
