package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Options refused before anything starts (no broker, no model needed), as {@code segstream run} before anything starts (no broker, no model needed). */
class RunCommandOptionsTest {

    @Test
    void kafkaPropertiesNeedAClusterOfTheirOwn() throws Exception {
        StdErr.Captured run = StdErr.capture(() -> Main.execute(
                "run",
                "-i",
                "x.mp4",
                "-m",
                "m",
                "-o",
                "o",
                "--kafka-property=security.protocol=SASL_SSL",
                "--partitions=0"));

        assertThat(run.code()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(run.stderr())
                .contains(
                        "segstream: --kafka-property and --kafka-config need --bootstrap-servers: the in-process broker takes plain connections only")
                .contains("--partitions must be >= 1, got 0");
    }

    @Test
    void shouldRefuseAnOptionThatDoesNotParseWithOneLineNamingIt() throws Exception {
        StdErr.Captured segment =
                StdErr.capture(() -> Main.execute("segment", "--bootstrap-servers=k:9092", "-m", "m", "--cameras=a["));

        assertThat(segment.code()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(segment.stderr().lines())
                .containsExactly(
                        "segstream segment: Invalid value for option '--cameras': not a regular expression: "
                                + "Unclosed character class",
                        "(segstream segment --help shows every option)");
    }
}
