package io.segstream.sink.config;

import io.segstream.protocol.Checks;
import io.segstream.protocol.Topics;
import io.segstream.runtime.RecordEdit;
import io.segstream.runtime.Setting;
import io.segstream.sink.stats.EgoCorridor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the sink runs.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics           topic names
 * @param applicationId    the Kafka Streams application id all sink instances share
 * @param stateDir         where Kafka Streams keeps its local state
 * @param outputDir        where overlay videos and stats.jsonl go, one directory per camera; empty for none
 * @param overlayAlpha     opacity of the class colours over the frame, 0..1
 * @param corridor         the ego corridor of the driving figures
 * @param maskTimeout      how long a later mask of the same session may wait before the frames before it are
 *                         handed on without theirs (status {@code missing})
 * @param windows          the camera-stats window lengths
 * @param liveSegment      the capture time one rolling overlay file of a live camera covers
 * @param kafka            further Kafka Streams and client properties, applied last
 */
public record SinkConfig(
        String bootstrapServers,
        Topics topics,
        String applicationId,
        Path stateDir,
        Optional<Path> outputDir,
        double overlayAlpha,
        EgoCorridor corridor,
        Duration maskTimeout,
        List<Duration> windows,
        Duration liveSegment,
        Map<String, String> kafka) {

    /** The application id of sink instances, after the topic prefix. */
    public static final String DEFAULT_APPLICATION_ID = "segstream-sink";

    public static final Setting<String> APPLICATION_ID = Setting.described(
            "application-id",
            "ID",
            "the topic prefix + " + DEFAULT_APPLICATION_ID,
            "Kafka Streams application id the sink instances share.",
            Setting.text(249));
    public static final Setting<Path> STATE_DIR = Setting.of(
            "state-dir",
            "DIR",
            "sink-state",
            "Local state of Kafka Streams, rebuilt from Kafka when lost.",
            Setting.path());
    public static final Setting<Double> OVERLAY_ALPHA = Setting.of(
            "overlay-alpha",
            "ALPHA",
            "0.5",
            "Opacity of the class colours, 0-1.",
            Setting.checked(Setting.number(), a -> a >= 0 && a <= 1, "be within 0..1"));
    public static final Setting<EgoCorridor> CORRIDOR = Setting.of(
            "corridor",
            "TOP,BOTTOM_WIDTH,TOP_WIDTH",
            EgoCorridor.DEFAULT.text(),
            "The ego corridor of the driving figures: its top as a fraction of the image height from the top, its"
                    + " widths at the bottom and top as fractions of the image width.",
            EgoCorridor::parse);
    public static final Setting<Duration> MASK_TIMEOUT = Setting.of(
            "mask-timeout",
            "DURATION",
            "PT30S",
            "Hand a frame on without its mask (status missing) once a later mask of its session has waited this"
                    + " long, ISO-8601.",
            Setting.durationFrom(Duration.ofMillis(1)));
    public static final Setting<List<Duration>> WINDOWS = Setting.of(
            "windows",
            "DURATION[,DURATION...]",
            "PT1S,PT1M",
            "The camera-stats tumbling window lengths, ISO-8601; each divides a day into whole windows.",
            SinkConfig::parseWindows);
    public static final Setting<Duration> LIVE_FILE_LENGTH = Setting.of(
            "live-file-length",
            "DURATION",
            "PT5M",
            "Capture time per rolling overlay file of a live camera.",
            Setting.durationFrom(Duration.ofSeconds(1)));

    public static final double DEFAULT_OVERLAY_ALPHA = OVERLAY_ALPHA.defaultOrFail();
    public static final Duration DEFAULT_MASK_TIMEOUT = MASK_TIMEOUT.defaultOrFail();
    public static final List<Duration> DEFAULT_WINDOWS = WINDOWS.defaultOrFail();
    public static final Duration DEFAULT_LIVE_SEGMENT = LIVE_FILE_LENGTH.defaultOrFail();

    private static List<Duration> parseWindows(String text) {
        List<Duration> list = new ArrayList<>();
        for (String w : text.split(",", 17)) {
            Duration d = Setting.durationFrom(Duration.ofMillis(1)).apply(w.strip());
            checkWindows("", List.of(d));
            list.add(d);
        }
        if (list.size() > 16) {
            throw new IllegalArgumentException("takes at most 16 windows");
        }
        return list;
    }

    /** A sink with every default: overlay alpha, corridor, mask timeout, windows, live file length. */
    public static SinkConfig defaults(
            String bootstrapServers, Topics topics, String applicationId, Path stateDir, Optional<Path> outputDir) {
        return new SinkConfig(bootstrapServers, topics, applicationId, stateDir, outputDir, DEFAULT_OVERLAY_ALPHA);
    }

    /** A sink with the default corridor, mask timeout, windows and live file length. */
    public SinkConfig(
            String bootstrapServers,
            Topics topics,
            String applicationId,
            Path stateDir,
            Optional<Path> outputDir,
            double overlayAlpha) {
        this(
                bootstrapServers,
                topics,
                applicationId,
                stateDir,
                outputDir,
                overlayAlpha,
                EgoCorridor.DEFAULT,
                DEFAULT_MASK_TIMEOUT,
                DEFAULT_WINDOWS,
                DEFAULT_LIVE_SEGMENT,
                Map.of());
    }

    public SinkConfig {
        Checks.nonNull("bootstrapServers topics applicationId", bootstrapServers, topics, applicationId);
        Checks.nonNull("stateDir outputDir corridor maskTimeout", stateDir, outputDir, corridor, maskTimeout);
        Checks.nonNull("liveSegment", liveSegment);
        windows = List.copyOf(windows);
        kafka = Map.copyOf(kafka);
        checkOverlayAlpha("overlay alpha", overlayAlpha);
        checkMaskTimeout("mask timeout", maskTimeout);
        checkLiveSegment("live file length", liveSegment);
        checkWindows("camera-stats window", windows);
    }

    // The checks of the settings an operator gives: the record runs them, and so do the options that
    // set them, before anything starts. Each throws IllegalArgumentException naming the setting as given.

    public static void checkOverlayAlpha(String name, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, got " + alpha);
        }
    }

    public static void checkMaskTimeout(String name, Duration timeout) {
        if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + timeout);
        }
        Checks.atMost(name, timeout, Checks.LONGEST);
    }

    public static void checkLiveSegment(String name, Duration length) {
        if (length.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1 s, got " + length);
        }
        Checks.atMost(name, length, Checks.LONGEST);
    }

    public static void checkWindows(String name, List<Duration> windows) {
        for (Duration w : windows) {
            if (w.compareTo(Duration.ofMillis(1)) < 0
                    || w.compareTo(Duration.ofDays(1)) > 0
                    || Duration.ofDays(1).toMillis() % w.toMillis() != 0) {
                throw new IllegalArgumentException(
                        (name.isEmpty() ? "" : name + " ") + w + " must divide a day into whole windows");
            }
        }
    }

    public SinkConfig withMaskTimeout(Duration t) {
        return with(e -> e.maskTimeout = t);
    }

    public SinkConfig withWindows(List<Duration> w) {
        return with(e -> e.windows = w);
    }

    public SinkConfig withKafka(Map<String, String> k) {
        return with(e -> e.kafka = k);
    }

    /** A copy with {@code change} made to its fields (the others as they are); the compact constructor checks it. */
    private SinkConfig with(Consumer<Fields> change) {
        return RecordEdit.apply(new Fields(this), change);
    }

    /** The fields a wither changes. */
    private static final class Fields implements RecordEdit<SinkConfig> {
        String bootstrapServers;
        Topics topics;
        String applicationId;
        Path stateDir;
        Optional<Path> outputDir;
        double overlayAlpha;
        EgoCorridor corridor;
        Duration maskTimeout;
        List<Duration> windows;
        Duration liveSegment;
        Map<String, String> kafka;

        Fields(SinkConfig c) {
            bootstrapServers = c.bootstrapServers();
            topics = c.topics();
            applicationId = c.applicationId();
            stateDir = c.stateDir();
            outputDir = c.outputDir();
            overlayAlpha = c.overlayAlpha();
            corridor = c.corridor();
            maskTimeout = c.maskTimeout();
            windows = c.windows();
            liveSegment = c.liveSegment();
            kafka = c.kafka();
        }

        @Override
        public SinkConfig done() {
            return new SinkConfig(
                    bootstrapServers,
                    topics,
                    applicationId,
                    stateDir,
                    outputDir,
                    overlayAlpha,
                    corridor,
                    maskTimeout,
                    windows,
                    liveSegment,
                    kafka);
        }
    }
}
