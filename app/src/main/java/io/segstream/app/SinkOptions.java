package io.segstream.app;

import io.segstream.sink.SinkConfig;
import io.segstream.sink.stats.EgoCorridor;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How the sink composes its outputs, shared by {@code run} and {@code sink}. The fields' initial
 * values are the defaults, so {@code new SinkOptions()} is the default sink.
 */
final class SinkOptions {

    @Option(names = "--overlay-alpha")
    double overlayAlpha = SinkConfig.DEFAULT_OVERLAY_ALPHA;

    @Option(names = "--corridor", paramLabel = "TOP,BOTTOM_WIDTH,TOP_WIDTH")
    String corridor = EgoCorridor.DEFAULT.text();

    @Option(names = "--mask-timeout")
    Duration maskTimeout = SinkConfig.DEFAULT_MASK_TIMEOUT;

    @Option(names = "--windows", paramLabel = "DURATION[,DURATION...]")
    String windows = String.join(
            ",", SinkConfig.DEFAULT_WINDOWS.stream().map(Duration::toString).toList());

    @Option(names = "--live-file-length")
    Duration liveFileLength = SinkConfig.DEFAULT_LIVE_SEGMENT;

    /** Adds each problem with the options, naming the option; the checks are the config's own. */
    void validate(List<String> problems) {
        Problems.check(problems, () -> SinkConfig.checkOverlayAlpha("--overlay-alpha", overlayAlpha));
        Problems.check(problems, () -> SinkConfig.checkMaskTimeout("--mask-timeout", maskTimeout));
        Problems.check(problems, () -> SinkConfig.checkLiveSegment("--live-file-length", liveFileLength));
        Problems.check(problems, () -> SinkConfig.checkWindows("--windows", windowList()));
        try {
            corridor();
        } catch (IllegalArgumentException e) {
            problems.add("--corridor " + corridor + ": " + e.getMessage());
        }
    }

    /** The config with these options; throws IllegalArgumentException naming a bad value. */
    SinkConfig apply(SinkConfig base) {
        return new SinkConfig(
                base.bootstrapServers(),
                base.topics(),
                base.applicationId(),
                base.stateDir(),
                base.outputDir(),
                overlayAlpha,
                corridor(),
                maskTimeout,
                windowList(),
                liveFileLength,
                base.kafka());
    }

    private EgoCorridor corridor() {
        String[] parts = corridor.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("needs three numbers separated by commas");
        }
        try {
            return new EgoCorridor(
                    Double.parseDouble(parts[0].trim()),
                    Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
    }

    private List<Duration> windowList() {
        List<Duration> list = new ArrayList<>();
        for (String w : windows.split(",")) {
            try {
                list.add(Duration.parse(w.trim().toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--windows: '" + w.trim() + "' is not an ISO-8601 duration such as PT1S");
            }
        }
        return list;
    }
}
