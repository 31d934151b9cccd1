package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordsTest {

    record Window(String name, int from, int to) {
        Window {
            if (from > to) {
                throw new IllegalArgumentException("from " + from + " after to " + to);
            }
        }
    }

    @Test
    void shouldReplaceTheNamedComponentsAndKeepTheOthers() {
        Window w = new Window("a", 1, 5);

        assertThat(Records.with(w, "to", 9, "name", "b")).isEqualTo(new Window("b", 1, 9));
        assertThat(w).as("the original is untouched").isEqualTo(new Window("a", 1, 5));
    }

    @Test
    void shouldRunTheRecordsChecksOnTheCopy() {
        assertThatThrownBy(() -> Records.with(new Window("a", 1, 5), "from", 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from 7 after to 5");
    }

    @Test
    void shouldRefuseANameTheRecordHasNoComponentOf() {
        assertThatThrownBy(() -> Records.with(new Window("a", 1, 5), "until", 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Window has no component [until]");
        assertThatThrownBy(() -> Records.with(new Window("a", 1, 5), "to"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
