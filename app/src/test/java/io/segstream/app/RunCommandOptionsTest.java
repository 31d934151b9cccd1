package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
                .contains("--partitions must be 1-10000, got 0");
    }

    @Test
    void shouldRefuseAnOptionThatDoesNotParseWithOneLineNamingIt() throws Exception {
        StdErr.Captured segment =
                StdErr.capture(() -> Main.execute("segment", "--bootstrap-servers=k:9092", "-m", "m", "--cameras=a["));

        assertThat(segment.code()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(segment.stderr().lines())
                .containsExactly("segstream segment: --cameras is not a regular expression: Unclosed character class");
    }

    @Test
    void shouldNameEachBadSinkOptionThroughTheConfigsOwnChecks() throws Exception {
        StdErr.Captured sink = StdErr.capture(() -> Main.execute(
                "sink",
                "--bootstrap-servers=k:9092",
                "--overlay-alpha=2",
                "--windows=PT7S",
                "--mask-timeout=PT0S",
                "--live-file-length=PT0.5S"));

        assertThat(sink.code()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(sink.stderr().lines())
                .contains(
                        "segstream sink: --overlay-alpha must be within 0..1, got 2.0",
                        "segstream sink: --windows PT7S must divide a day into whole windows",
                        "segstream sink: --mask-timeout must be at least 1 ms, got PT0S",
                        "segstream sink: --live-file-length must be at least 1 s, got PT0.5S");
    }

    /** A duration too long for the clocks' arithmetic (milliseconds overflow a long) is one line, not an overflow. */
    @Test
    void shouldRefuseDurationsTooLongToCountInMillisecondsWithOneLineEach() throws Exception {
        String huge = "PT2600000000000H";
        StdErr.Captured sink = StdErr.capture(() -> Main.execute(
                "sink", "--bootstrap-servers=k:9092", "--mask-timeout=" + huge, "--live-file-length=" + huge));
        StdErr.Captured segment = StdErr.capture(() -> Main.execute(
                "segment", "--bootstrap-servers=k:9092", "-m", "m", "--batch-wait=" + huge, "--max-age=" + huge));
        StdErr.Captured ingest = StdErr.capture(() ->
                Main.execute("ingest", "--bootstrap-servers=k:9092", "--camera=cam=a.mp4", "--io-timeout=" + huge));
        StdErr.Captured run = StdErr.capture(
                () -> Main.execute("run", "-i", "a.mp4", "-m", "m", "-o", "o", "--stall-timeout=" + huge));

        for (StdErr.Captured c : List.of(sink, segment, ingest, run)) {
            assertThat(c.code()).as(c.stderr()).isEqualTo(ExitCode.REFUSED.code());
            assertThat(c.stderr()).doesNotContain("overflow");
        }
        assertThat(sink.stderr())
                .contains("--mask-timeout must be at most PT24H, got " + huge)
                .contains("--live-file-length must be at most PT24H, got " + huge);
        assertThat(segment.stderr())
                .contains("--batch-wait must be at most PT24H, got " + huge)
                .contains("--max-age must be at most PT24H");
        assertThat(ingest.stderr()).contains("--io-timeout must be at most PT24H, got " + huge);
        assertThat(run.stderr()).contains("--stall-timeout must be at most PT24H, got " + huge);
    }
}
