package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheFileAndLetTheCommandLineWin() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                # credentials stay here, not on the command line
                security.protocol=SASL_SSL
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
                request.timeout.ms=5000
                """);
        List<String> problems = new ArrayList<>();
        Map<String, String> read = KafkaConfigFile.load(file, problems);

        assertThat(problems).isEmpty();
        assertThat(read).containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config");
        assertThat(KafkaConfigFile.merge(read, Map.of("request.timeout.ms", "9000")))
                .containsEntry("request.timeout.ms", "9000")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldRefuseAMissingOrHugeFileInOneLineEach() throws Exception {
        List<String> problems = new ArrayList<>();
        KafkaConfigFile.load(dir.resolve("missing.properties"), problems);
        Path huge = Files.write(dir.resolve("huge.properties"), new byte[KafkaConfigFile.MAX_BYTES + 1]);
        KafkaConfigFile.load(huge, problems);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .startsWith("--kafka-config " + dir.resolve("missing.properties") + " cannot be read");
        assertThat(problems.get(1)).contains("is larger than " + KafkaConfigFile.MAX_BYTES + " bytes");
    }

    @Test
    void shouldRefuseAServiceWhoseConfigFileIsMissingBeforeConnecting() throws Exception {
        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "sink",
                "--bootstrap-servers=127.0.0.1:1",
                "--kafka-config=" + dir.resolve("nope.properties").toString(),
                "--metrics-port=0",
                "--view-port=0"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("segstream sink: --kafka-config " + dir.resolve("nope.properties") + " cannot be read");
    }
}
