package io.segstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void shouldKeepAValueWithSpacesOneArgument() {
        assertThat(Tools.words("-i {} -vf scale={}:{}  -f %05d.jpg", Path.of("/tmp/a b.mp4"), 640, 360))
                .containsExactly("-i", "/tmp/a b.mp4", "-vf", "scale=640:360", "-f", "%05d.jpg");
    }

    @Test
    void shouldRefuseValuesThatDoNotMatchThePlaceholders() {
        assertThatThrownBy(() -> Tools.words("-i {}", "a", "b")).hasMessageContaining("2 values for 1 {}");
        assertThatThrownBy(() -> Tools.words("-i {} {}", "a")).hasMessageContaining("more {} than values");
    }
}
