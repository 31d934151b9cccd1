package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.testkit.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's and the images' lib/ (app/target/lib, what {@code package} copies) holds what the
 * services load at run time: a test-scoped path to a library once left FFmpeg's classes out of it
 * while every test, which has the test classpath, still passed.
 */
@IntegrationTest
class PackagedLibIT {

    @Test
    void shouldHoldTheClassesTheServicesLoadAtRunTime() throws IOException {
        Path lib = Launcher.ROOT.resolve("app/target/lib");
        Set<String> classes = new HashSet<>();
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    j.stream().forEach(e -> classes.add(e.getName()));
                }
            }
        }
        assertThat(classes)
                .as("classes in %s", lib)
                .containsAll(List.of(
                        "org/bytedeco/ffmpeg/avutil/LogCallback.class",
                        "org/bytedeco/ffmpeg/global/avcodec.class",
                        "org/bytedeco/javacv/FFmpegFrameGrabber.class",
                        "org/bytedeco/javacpp/Loader.class",
                        "io/segstream/media/VideoReader.class",
                        "io/segstream/runtime/Setting.class",
                        "org/tensorflow/internal/c_api/global/tensorflow.class",
                        "org/apache/kafka/streams/KafkaStreams.class"));
    }
}
