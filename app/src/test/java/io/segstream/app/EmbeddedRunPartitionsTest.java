package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.camera.CameraSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the embedded run spreads its cameras over the partitions of the frames topic. */
class EmbeddedRunPartitionsTest {

    private static final List<CameraSpec> CAMERAS = List.of(
            CameraSpec.of("live-a", "rtsp://127.0.0.1/a"),
            CameraSpec.of("live-b", "rtsp://127.0.0.1/b"),
            CameraSpec.of("rec-c", "c.mp4"));

    @Test
    void shouldGiveEachCameraAPartitionOfItsOwnWhenThereAreEnough() {
        assertThat(EmbeddedRun.pin(CAMERAS, 3))
                .containsEntry("live-a", 0)
                .containsEntry("live-b", 1)
                .containsEntry("rec-c", 2);
    }

    @Test
    void shouldTakeThePartitionsInTurnWhenThereAreFewer() {
        assertThat(EmbeddedRun.pin(CAMERAS, 2))
                .containsEntry("live-a", 0)
                .containsEntry("live-b", 1)
                .containsEntry("rec-c", 0);
    }
}
