package io.segstream.app;

import io.segstream.protocol.Topics;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.TestTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Sinks of a test pipeline. */
final class TestSinks {

    private TestSinks() {}

    /** A sink of the test's topics with every default, its state in {@code state}, writing no files. */
    static SinkConfig config(KafkaBroker kafka, Topics topics, Path state) throws IOException {
        return SinkConfig.defaults(
                kafka.bootstrapServers(),
                topics,
                TestTopics.prefix(topics) + "sink",
                Files.createDirectories(state),
                Optional.empty());
    }
}
