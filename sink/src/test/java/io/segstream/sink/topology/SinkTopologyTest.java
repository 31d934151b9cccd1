package io.segstream.sink.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Scale;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Size;
import io.segstream.protocol.SizingMode;
import io.segstream.protocol.Taxonomy;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Schemas;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SinkTopologyTest {

    private static final int W = 8;
    private static final int H = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestInputTopic<String, byte[]> masks;
    private TestOutputTopic<String, String> stats;
    private TestOutputTopic<String, String> windows;
    private final UUID session = UUID.randomUUID();
    private final byte[] picture = grey();

    /** The sink's clock at the start: a minute after the first capture time the tests use. */
    private static final Instant START = Instant.ofEpochMilli(1_700_000_000_000L + 60_000);

    @BeforeEach
    void start() {
        start(HeldRecords.Limits.DEFAULT);
    }

    private void start(HeldRecords.Limits limits) {
        Topics topics = Topics.DEFAULT;
        SinkConfig config = SinkConfig.defaults("unused:9092", topics, "sink-test", state, Optional.empty())
                .withMaskTimeout(Duration.ofSeconds(5))
                .withWindows(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sink-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(
                SinkTopology.build(config, Optional.empty(), new CommitBarrier(), limits), props, START);
        frames = driver.createInputTopic(
                topics.frames(), new StringSerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        masks = driver.createInputTopic(
                topics.masks(), new StringSerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        stats = driver.createOutputTopic(topics.frameStats(), new StringDeserializer(), new StringDeserializer());
        windows = driver.createOutputTopic(topics.cameraStats(), new StringDeserializer(), new StringDeserializer());
        describe(ModelDescription.of("test-model", Cityscapes.TAXONOMY));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldJoinEachFrameWithItsMaskInSequenceOrder() throws IOException {
        for (int seq = 0; seq < 3; seq++) {
            sendFrame(seq);
            sendMask(seq, MaskStatus.OK, seq % 2 == 0 ? 0 : 13);
        }

        List<JsonNode> out = statsRecords();

        assertThat(out).extracting(n -> n.get("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(out.get(0).get("classes").get("road").asDouble()).isEqualTo(1.0);
        assertThat(out.get(1).get("classes").get("car").asDouble()).isEqualTo(1.0);
        assertThat(out.get(1).get("classes").get("road").asDouble()).isEqualTo(0.0);
    }

    @Test
    void shouldHoldFramesBackUntilTheMasksBeforeThemArrive() throws IOException {
        for (int seq = 0; seq < 4; seq++) {
            sendFrame(seq);
        }
        sendMask(2, MaskStatus.OK, 0);
        sendMask(3, MaskStatus.OK, 0);
        sendMask(1, MaskStatus.OK, 0);
        assertThat(stats.isEmpty()).isTrue();

        sendMask(0, MaskStatus.OK, 0);

        assertThat(statsRecords()).extracting(n -> n.get("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldDropReDeliveredFramesAndMasks() throws IOException {
        sendFrame(0);
        sendMask(0, MaskStatus.OK, 0);
        sendFrame(0);
        sendMask(0, MaskStatus.OK, 0);
        sendFrame(1);
        sendMask(1, MaskStatus.OK, 0);
        sendMask(1, MaskStatus.OK, 0);

        assertThat(statsRecords()).extracting(n -> n.get("sequence").asLong()).containsExactly(0L, 1L);
    }

    @Test
    void shouldAccountForAFrameWhoseMaskFailed() throws IOException {
        sendFrame(0);
        sendMask(0, MaskStatus.FAILED, -1);

        JsonNode only = statsRecords().get(0);

        assertThat(only.get("status").asText()).isEqualTo("failed");
        assertThat(only.get("classes").size()).isZero();
    }

    @Test
    void shouldEndTheSessionOnlyAfterItsLastFrame() throws IOException {
        sendFrame(0);
        sendFrame(1);
        sendEndOfStream(2);
        sendMask(0, MaskStatus.OK, 0);
        assertThat(statsRecords()).hasSize(1);

        sendMask(1, MaskStatus.OK, 0);
        sendEndOfStream(2);
        List<TestRecord<String, String>> rest = stats.readRecordsToList();

        assertThat(rest).hasSize(2);
        assertThat(JSON.readTree(rest.get(0).value()).get("sequence").asLong()).isEqualTo(1);
        assertThat(WireHeaders.isEndOfStream(rest.get(1).headers())).isTrue();
        assertThat(WireHeaders.readEndOfStream(rest.get(1).headers())).isEqualTo(new EndOfStream(session, 2));
        assertThat(JSON.readTree(rest.get(1).value()).get("frames").asLong()).isEqualTo(2);
    }

    @Test
    void shouldHandOnAFrameWithoutItsMaskOnceALaterMaskHasWaitedPastTheTimeout() throws IOException {
        sendFrame(0);
        sendFrame(1);
        sendFrame(2);
        sendMask(1, MaskStatus.OK, 0);
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(stats.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<JsonNode> out = statsRecords();

        assertThat(out).extracting(n -> n.get("sequence").asLong()).containsExactly(0L, 1L);
        assertThat(out).extracting(n -> n.get("status").asText()).containsExactly("missing", "ok");
        assertThat(out.get(0).get("driving").isNull()).isTrue();

        sendMask(0, MaskStatus.OK, 0);
        sendMask(2, MaskStatus.OK, 0);
        assertThat(statsRecords()).extracting(n -> n.get("sequence").asLong()).containsExactly(2L);
    }

    @Test
    void shouldWaitForASlowSegmenterHoweverLong() {
        for (int seq = 0; seq < 3; seq++) {
            sendFrame(seq);
        }
        sendEndOfStream(3);

        driver.advanceWallClockTime(Duration.ofMinutes(10));

        assertThat(stats.isEmpty()).isTrue();
    }

    /** The statistics that come once the mask timeout has passed, after exactly one that came before it. */
    private List<TestRecord<String, String>> afterTheMaskTimeout() throws IOException {
        assertThat(statsRecords()).as("before the mask timeout").hasSize(1);
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        return stats.readRecordsToList();
    }

    @Test
    void shouldMoveOnWhenTheMasksEndOfStreamHasWaitedPastTheTimeout() throws IOException {
        sendFrame(0);
        sendFrame(1);
        sendMask(0, MaskStatus.OK, 0);
        sendEndOfStream(2);
        sendMaskEndOfStream(2);
        List<TestRecord<String, String>> rest = afterTheMaskTimeout();

        assertThat(rest).hasSize(2);
        assertThat(JSON.readTree(rest.get(0).value()).get("status").asText()).isEqualTo("missing");
        JsonNode summary = JSON.readTree(rest.get(1).value()).get("summary");
        assertThat(summary.get("frames").asLong()).isEqualTo(2);
        assertThat(summary.get("ok").asLong()).isEqualTo(1);
        assertThat(summary.get("missing").asLong()).isEqualTo(1);
    }

    @Test
    void shouldCountAFrameThatNeverArrivedAsLost() throws IOException {
        sendFrame(0);
        sendFrame(2);
        sendMask(0, MaskStatus.OK, 0);
        sendMask(2, MaskStatus.OK, 0);
        sendEndOfStream(3);
        sendMaskEndOfStream(3);
        List<TestRecord<String, String>> rest = afterTheMaskTimeout();

        assertThat(rest).hasSize(2);
        assertThat(JSON.readTree(rest.get(0).value()).get("sequence").asLong()).isEqualTo(2);
        JsonNode summary = JSON.readTree(rest.get(1).value()).get("summary");
        assertThat(summary.get("frames").asLong()).isEqualTo(2);
        assertThat(summary.get("lost").asLong()).isEqualTo(1);
    }

    @Test
    void shouldSummariseTheSessionInItsEndOfStreamRecord() throws IOException {
        sendFrame(0);
        sendMask(0, MaskStatus.OK, 0);
        sendFrame(1);
        sendMask(1, MaskStatus.OK, 13);
        sendFrame(2);
        sendMask(2, MaskStatus.FAILED, -1);
        sendFrame(3);
        sendMask(3, MaskStatus.SKIPPED_STALE, -1);
        sendEndOfStream(4);

        List<JsonNode> out = statsRecords();
        JsonNode summary = out.get(out.size() - 1).get("summary");

        assertThat(summary.get("frames").asLong()).isEqualTo(4);
        assertThat(summary.get("ok").asLong()).isEqualTo(2);
        assertThat(summary.get("failed").asLong()).isEqualTo(1);
        assertThat(summary.get("skipped").asLong()).isEqualTo(1);
        assertThat(summary.get("classes").get("road").asDouble()).isEqualTo(0.5);
        assertThat(summary.get("classes").get("car").asDouble()).isEqualTo(0.5);
        assertThat(summary.get("latencyMs").get("inference").get("max").asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void shouldPublishEachWindowOnceItsCameraHasMovedPastIt() throws IOException {
        // capture times 0, 400, 800, 1200, 1600, 2000 ms after a whole second: 1 s windows [0,1) [1,2) [2,3)
        for (int seq = 0; seq < 6; seq++) {
            sendFrame(seq, seq * 400);
            sendMask(seq, seq == 1 ? MaskStatus.FAILED : MaskStatus.OK, seq < 3 ? 0 : 13);
        }

        List<JsonNode> closed = windowRecords();

        assertThat(closed)
                .extracting(n -> n.get("window").get("sizeMs").asLong() + "@"
                        + n.get("window").get("startMs").asLong() % 10_000)
                .containsExactly("1000@0", "1000@1000", "2000@0");
        JsonNode first = closed.get(0);
        assertThat(first.get("frames").asLong()).isEqualTo(3);
        assertThat(first.get("ok").asLong()).isEqualTo(2);
        assertThat(first.get("failed").asLong()).isEqualTo(1);
        assertThat(first.get("framesPerSecond").asDouble()).isEqualTo(3.0);
        assertThat(first.get("classes").get("road").asDouble()).isEqualTo(1.0);
        JsonNode second = closed.get(1);
        assertThat(second.get("frames").asLong()).isEqualTo(2);
        assertThat(second.get("classes").get("car").asDouble()).isEqualTo(1.0);
        assertThat(second.get("latencyMs").get("endToEnd").get("p50").isNumber())
                .isTrue();

        sendEndOfStream(6);
        List<JsonNode> rest = windowRecords();
        assertThat(rest)
                .extracting(n -> n.get("window").get("sizeMs").asLong() + "@"
                        + n.get("window").get("startMs").asLong() % 10_000)
                .containsExactly("1000@2000", "2000@2000");
        assertThat(closed.get(2).get("frames").asLong()).isEqualTo(5);
        long oneSecondFrames = closed.stream()
                        .filter(n -> n.get("window").get("sizeMs").asLong() == 1000)
                        .mapToLong(n -> n.get("frames").asLong())
                        .sum()
                + rest.get(0).get("frames").asLong();
        assertThat(oneSecondFrames).isEqualTo(6);
    }

    @Test
    void shouldPublishTheWindowsOfACameraThatWentQuiet() throws IOException {
        sendFrame(0, 0);
        sendMask(0, MaskStatus.OK, 0);
        assertThat(windows.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(31));

        assertThat(windowRecords()).extracting(n -> n.get("frames").asLong()).containsExactly(1L, 1L);
    }

    @Test
    void shouldMeasureTheEgoCorridorOnAHandMadeMask() throws IOException {
        // 8x4 frame, default corridor (top at 55 %, 60 % wide at the bottom, 10 % at the top): it holds
        // pixels (3,2), (4,2) and (2..5,3). A car at (3,2) is in it; a person at (0,3) is not.
        byte[] labels = new byte[W * H];
        Arrays.fill(labels, (byte) io.segstream.protocol.Cityscapes.ROAD);
        labels[2 * W + 3] = (byte) io.segstream.protocol.Cityscapes.CAR;
        labels[3 * W] = (byte) io.segstream.protocol.Cityscapes.PERSON;
        sendFrame(0);
        sendMask(0, labels);

        JsonNode only = statsRecords().get(0);

        JsonNode driving = only.get("driving");
        assertThat(driving.get("corridor").get("drivable").asDouble()).isCloseTo(5.0 / 6, within(1e-6));
        assertThat(driving.get("obstacles").get("vehicles").get("present").asBoolean())
                .isTrue();
        assertThat(driving.get("obstacles").get("vehicles").get("nearestRow").asDouble())
                .isEqualTo(0.75);
        assertThat(driving.get("obstacles").get("persons").get("present").asBoolean())
                .as("the person is outside")
                .isFalse();
        assertThat(driving.get("obstacles").get("persons").get("nearestRow").isNull())
                .isTrue();
        assertThat(only.get("classes").get("car").asDouble()).isEqualTo(1.0 / 32);
        assertThat(only.get("classes").get("person").asDouble()).isEqualTo(1.0 / 32);
        assertThat(only.get("classes").get("road").asDouble()).isEqualTo(30.0 / 32);
    }

    @Test
    void shouldSpeakTheTermsOfTheModelThatMadeTheMask() throws IOException {
        Taxonomy signate = new Taxonomy(
                "signate",
                List.of(
                        new SegmentationClass(0, "background", 0x000000),
                        new SegmentationClass(1, "lane", 0x452f8e),
                        new SegmentationClass(2, "signal", 0xffff00),
                        new SegmentationClass(3, "pedestrian", 0xff0000),
                        new SegmentationClass(4, "car", 0x0000ff)));
        describe(new ModelDescription(
                "signate",
                signate,
                new DrivingGroups(List.of(1), List.of(4), List.of(3), List.of()),
                Optional.of(new Size(1025, 513)),
                SizingMode.FIT,
                Scale.ONE));
        byte[] labels = new byte[W * H];
        Arrays.fill(labels, (byte) 1);
        labels[2 * W + 3] = 4;
        sendFrame(0);
        sendMask(0, labels, "signate");
        sendEndOfStream(1);

        List<JsonNode> out = statsRecords();
        JsonNode only = out.get(0);

        assertThat(only.get("model").asText()).isEqualTo("signate");
        assertThat(only.get("classes").fieldNames())
                .toIterable()
                .containsExactly("background", "lane", "signal", "pedestrian", "car");
        assertThat(only.get("classes").get("lane").asDouble()).isEqualTo(31.0 / 32);
        assertThat(only.get("driving").get("corridor").get("drivable").asDouble())
                .as("lane is drivable")
                .isCloseTo(5.0 / 6, within(1e-6));
        assertThat(only.get("driving")
                        .get("obstacles")
                        .get("vehicles")
                        .get("nearestRow")
                        .asDouble())
                .isEqualTo(0.75);
        assertThat(out.get(1).get("summary").get("classes").fieldNames())
                .toIterable()
                .containsExactly("background", "lane", "signal", "pedestrian", "car");
    }

    @Test
    void shouldCountTheMasksOfAModelThatWasNeverDescribedAsFailed() throws IOException {
        sendFrame(0);
        byte[] labels = new byte[W * H];
        sendMask(0, labels, "nobody-described-me");

        JsonNode only = statsRecords().get(0);

        assertThat(only.get("status").asText()).isEqualTo("failed");
        assertThat(only.get("classes").size()).isZero();
    }

    @Test
    @Timeout(20)
    void shouldMoveOverAHugeGapWithoutWalkingItOneSequenceAtATime() throws IOException {
        sendFrame(0);
        sendMask(0, MaskStatus.OK, 0);
        sendFrame(FrameMaskJoiner.MAX_AHEAD);
        sendMask(FrameMaskJoiner.MAX_AHEAD, MaskStatus.OK, 0);
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        sendEndOfStream(FrameMaskJoiner.MAX_AHEAD + 1);

        List<JsonNode> out = statsRecords();

        assertThat(out)
                .extracting(
                        n -> n.has("endOfStream") ? "eos" : n.get("sequence").asText())
                .containsExactly("0", Long.toString(FrameMaskJoiner.MAX_AHEAD), "eos");
        assertThat(out.get(2).get("summary").get("lost").asLong()).isEqualTo(FrameMaskJoiner.MAX_AHEAD - 1);
    }

    @Test
    void shouldRefusePoisonRecordsAndKeepTheHealthyCameraExactlyOnce() throws IOException {
        sendFrame(0);
        RecordHeaders farAhead = new RecordHeaders();
        WireHeaders.writeFrame(
                farAhead,
                "cam",
                new FrameMeta(session, Long.MAX_VALUE, 0, BASE_CAPTURE_US, W, H, ImageEncoding.PNG, 4, 25, false));
        frames.pipeInput(new TestRecord<>("cam", picture, farAhead));
        RecordHeaders shortSeq = new RecordHeaders();
        WireHeaders.writeFrame(shortSeq, "cam", meta(1));
        shortSeq.remove(WireHeaders.SEQUENCE);
        shortSeq.add(WireHeaders.SEQUENCE, new byte[4]);
        frames.pipeInput(new TestRecord<>("cam", picture, shortSeq));
        RecordHeaders huge = new RecordHeaders();
        WireHeaders.writeFrame(huge, "cam", meta(1));
        huge.remove(WireHeaders.WIDTH);
        huge.add(WireHeaders.WIDTH, "100000".getBytes(StandardCharsets.UTF_8));
        frames.pipeInput(new TestRecord<>("cam", picture, huge));
        RecordHeaders badEnd = new RecordHeaders();
        badEnd.add(WireHeaders.LEGACY_TYPE, "eos".getBytes(StandardCharsets.UTF_8));
        badEnd.add(
                WireHeaders.SESSION,
                java.nio.ByteBuffer.allocate(16).putLong(1).putLong(2).array());
        badEnd.add(
                WireHeaders.FRAME_COUNT,
                java.nio.ByteBuffer.allocate(8).putLong(-5).array());
        frames.pipeInput(new TestRecord<>("cam", new byte[0], badEnd));
        for (String key : List.of("../../x", "/some/absolute/dir", "..", "a/b")) {
            RecordHeaders h = new RecordHeaders();
            WireHeaders.writeFrame(h, key, meta(0));
            frames.pipeInput(new TestRecord<>(key, picture, h));
        }
        sendMask(0, MaskStatus.OK, 0);
        sendFrame(1);
        sendMask(1, MaskStatus.OK, 0);
        sendEndOfStream(2);
        driver.advanceWallClockTime(Duration.ofSeconds(40));

        List<TestRecord<String, String>> out = stats.readRecordsToList();

        assertThat(out).extracting(TestRecord::key).containsOnly("cam");
        assertThat(out).hasSize(3);
        assertThat(JSON.readTree(out.get(2).value()).get("summary").get("ok").asLong())
                .isEqualTo(2);
        assertThat(windowRecords()).extracting(n -> n.get("camera").asText()).containsOnly("cam");
    }

    @Test
    void shouldCountAMaskWithClassIdsBeyondItsModelsClassesAsFailed() throws IOException {
        byte[] labels = new byte[W * H];
        Arrays.fill(labels, (byte) 200); // the test model has 19 classes
        labels[0] = 0;
        sendFrame(0);
        sendMask(0, labels);
        sendFrame(1);
        sendMask(1, new byte[W * H]);

        List<JsonNode> out = statsRecords();

        assertThat(out.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(out.get(0).get("classes").size()).isZero();
        assertThat(out.get(1).get("status").asText())
                .as("the next mask of the camera")
                .isEqualTo("ok");
    }

    @Test
    void shouldRefuseAMaskWhosePngClaimsAnotherSizeBeforeInflatingIt() throws IOException {
        sendFrame(0);
        byte[] bomb = MaskCodec.encode(new LabelMap(W, H, new byte[W * H]));
        java.nio.ByteBuffer.wrap(bomb).putInt(16, 40_000).putInt(20, 40_000);
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, "cam", new MaskMeta(meta(0), "test-model", 1000, MaskStatus.OK));
        masks.pipeInput(new TestRecord<>("cam", bomb, headers));

        JsonNode only = statsRecords().get(0);

        assertThat(only.get("status").asText()).isEqualTo("failed");
    }

    @Test
    void shouldStampEveryOutputAtTheSinksClockAndReportNoLatencyForAnImplausibleCaptureTime() throws IOException {
        long now = START.toEpochMilli() * 1000;
        long[] captures = {Long.MAX_VALUE, now + 30L * 60 * 1_000_000, 0, Long.MIN_VALUE, now - 2_000_000};
        for (int seq = 0; seq < captures.length; seq++) {
            captureUs.put((long) seq, captures[seq]);
            sendFrame(seq);
            sendMask(seq, MaskStatus.OK, 0);
        }
        sendEndOfStream(captures.length);

        List<JsonNode> out = statsRecords();
        List<TestRecord<String, String>> closed = windows.readRecordsToList();

        assertThat(out).hasSize(captures.length + 1);
        for (int seq = 0; seq < 4; seq++) {
            assertThat(out.get(seq).get("latencyMs").get("endToEnd").isNull())
                    .as("frame %d captured at %d µs has no end-to-end latency", seq, captures[seq])
                    .isTrue();
        }
        assertThat(out.get(4).get("latencyMs").get("endToEnd").asDouble()).isCloseTo(2000, within(1.0));
        assertThat(out.get(5)
                        .get("summary")
                        .get("latencyMs")
                        .get("endToEnd")
                        .get("max")
                        .asDouble())
                .isCloseTo(2000, within(50.0));
        assertThat(closed).isNotEmpty();
        assertThat(closed)
                .extracting(TestRecord::timestamp)
                .as("every camera-stats record is stamped with the sink's clock, never a capture time")
                .containsOnly(START.toEpochMilli());
        for (TestRecord<String, String> w : closed) {
            Schemas.assertValid(Schemas.CAMERA_STATS, w.value());
            assertThat(JSON.readTree(w.value()).get("window").get("startMs").asLong())
                    .as("windows stay within a day of the sink's clock")
                    .isBetween(START.toEpochMilli() - Duration.ofDays(1).toMillis(), START.toEpochMilli());
        }
    }

    @Test
    void shouldKeepOpenWindowsBoundedWhateverCaptureTimesAFrameClaims() throws IOException {
        long base = START.toEpochMilli() * 1000 - 3_600_000_000L;
        int count = WindowProcessor.MAX_OPEN * 3;
        for (int seq = 0; seq < count; seq++) {
            // each frame a minute before the one before it: a new window each time, none closed by order
            captureUs.put((long) seq, base - seq * 60_000_000L);
            sendFrame(seq);
            sendMask(seq, MaskStatus.OK, 0);
        }

        List<JsonNode> closed = windowRecords();

        long oneSecond = closed.stream()
                .filter(n -> n.get("window").get("sizeMs").asLong() == 1000)
                .count();
        assertThat(oneSecond).isEqualTo(count - WindowProcessor.MAX_OPEN);
    }

    @Test
    void shouldNotLetAForeignDescriptionUnderTheSameModelIdChangeTheMasksOfTheRealOne() throws IOException {
        ModelDescription real = ModelDescription.of("test-model", Cityscapes.TAXONOMY);
        String digest = ModelDescriptionJson.digest(real);
        Taxonomy renamed = new Taxonomy(
                "evil",
                Cityscapes.TAXONOMY.classes().stream()
                        .map(c -> new SegmentationClass(c.id(), "evil-" + c.id(), 0xff0000))
                        .toList());
        ModelDescription spoof = new ModelDescription(
                "test-model",
                renamed,
                new DrivingGroups(List.of(), List.of(), List.of(), List.of()),
                Optional.empty(),
                SizingMode.NATIVE,
                Scale.ONE);
        describe(spoof); // keyed by the model id, as the real one
        RecordHeaders otherKey = new RecordHeaders();
        WireHeaders.writeModelDescription(otherKey, spoof);
        masks.pipeInput(
                new TestRecord<>("evil", ModelDescriptionJson.write(spoof).getBytes(StandardCharsets.UTF_8), otherKey));
        byte[] road = new byte[W * H];
        sendFrame(0);
        sendMask(0, road, "test-model", digest);
        sendFrame(1);
        sendMask(1, road, "test-model", ModelDescriptionJson.digest(spoof));
        sendFrame(2);
        sendMask(2, road, "test-model"); // no digest: two descriptions differ, so which is unknown

        List<JsonNode> out = statsRecords();

        assertThat(out.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(out.get(0).get("classes").fieldNames()).toIterable().contains("road", "car");
        assertThat(out.get(0).get("driving").get("corridor").get("drivable").asDouble())
                .isEqualTo(1.0);
        assertThat(out.get(1).get("classes").fieldNames())
                .as("a mask that names the foreign digest gets the foreign classes, and only it")
                .toIterable()
                .contains("evil-0");
        assertThat(out.get(2).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void shouldKeepABoundedNumberOfModelDescriptionsLeastRecentlyUsedOut() throws IOException {
        ModelDescription real = ModelDescription.of("test-model", Cityscapes.TAXONOMY);
        for (int k = 0; k < DescribedModels.MAX_MODELS * 3; k++) {
            describe(ModelDescription.of("flood-" + k, Cityscapes.TAXONOMY));
            if (k % 16 == 0) { // the real model stays in use
                sendFrame(k / 16);
                sendMask(k / 16, new byte[W * H], "test-model", ModelDescriptionJson.digest(real));
            }
        }
        KeyValueStoreCount kept = new KeyValueStoreCount(driver.getKeyValueStore(DescribedModels.STORE));

        assertThat(kept.count()).isEqualTo(DescribedModels.MAX_MODELS);
        assertThat(statsRecords()).extracting(n -> n.get("status").asText()).containsOnly("ok");
        sendFrame(DescribedModels.MAX_MODELS * 3 / 16);
        sendMask(DescribedModels.MAX_MODELS * 3 / 16, new byte[W * H], "flood-0", "");
        assertThat(statsRecords())
                .as("the least recently used description went")
                .extracting(n -> n.get("status").asText())
                .containsExactly("failed");
    }

    @Test
    void shouldAnswerTheOldestWaitingFramesAsMissingOnceACameraHoldsMoreThanItsBound() throws IOException {
        driver.close();
        start(new HeldRecords.Limits(20, Long.MAX_VALUE, Long.MAX_VALUE));
        describe(ModelDescription.of("test-model", Cityscapes.TAXONOMY));
        for (int seq = 0; seq < 50; seq++) {
            sendFrame(seq); // no segmenter answers
        }
        sendFrame("other", 0);
        sendMask("other", 0);

        List<TestRecord<String, String>> out = stats.readRecordsToList();

        assertThat(out.stream().filter(r -> r.key().equals("cam")))
                .extracting(r -> JSON.readTree(r.value()).get("status").asText())
                .as("30 of 50 frames answered early, 20 still wait")
                .hasSize(30)
                .containsOnly("missing");
        assertThat(out.stream().filter(r -> r.key().equals("other")))
                .extracting(r -> JSON.readTree(r.value()).get("status").asText())
                .containsExactly("ok");
        sendMask(30, MaskStatus.OK, 0);
        assertThat(statsRecords())
                .extracting(n -> n.get("sequence").asLong() + n.get("status").asText())
                .containsExactly("30ok");
    }

    @Test
    void shouldBoundWhatTheSinkHoldsInAllByAnsweringTheLargestCamerasOldestFrames() throws IOException {
        // headers are text, so a record's size grows a little with its numbers: the largest one here is the unit
        int size = new StoredRecord(0, 0, headersOf("a", 9), picture).sizeBytes();
        driver.close();
        start(new HeldRecords.Limits(1000, Long.MAX_VALUE, 25L * size));
        for (int seq = 0; seq < 10; seq++) {
            for (String camera : List.of("a", "b", "c")) {
                sendFrame(camera, seq);
            }
        }
        for (int seq = 0; seq < 10; seq++) {
            sendFrame("d", seq);
        }

        List<TestRecord<String, String>> out = stats.readRecordsToList();

        assertThat(out).hasSize(15);
        assertThat(out)
                .extracting(r -> JSON.readTree(r.value()).get("status").asText())
                .containsOnly("missing");
        assertThat(out)
                .extracting(TestRecord::key)
                .as("the camera holding the most gives first")
                .contains("a", "b", "c", "d");
    }

    /** Counts what a store holds. */
    private record KeyValueStoreCount(org.apache.kafka.streams.state.KeyValueStore<String, ?> store) {
        long count() {
            long n = 0;
            try (var it = store.all()) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return n;
        }
    }

    private void describe(ModelDescription d) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeModelDescription(headers, d);
        String json = ModelDescriptionJson.write(d);
        Schemas.assertValid(Schemas.MODEL_DESCRIPTION, json);
        masks.pipeInput(new TestRecord<>(d.model(), json.getBytes(StandardCharsets.UTF_8), headers));
    }

    private List<JsonNode> windowRecords() throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String v : windows.readValuesToList()) {
            Schemas.assertValid(Schemas.CAMERA_STATS, v);
            out.add(JSON.readTree(v));
        }
        return out;
    }

    private List<JsonNode> statsRecords() throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String v : stats.readValuesToList()) {
            JsonNode n = JSON.readTree(v);
            Schemas.assertValid(n.has("endOfStream") ? Schemas.END_OF_STREAM : Schemas.FRAME_STATS, v);
            out.add(n);
        }
        return out;
    }

    /** Capture times start on a whole second. */
    private static final long BASE_CAPTURE_US = 1_700_000_000_000_000L;

    private final java.util.Map<Long, Long> captureOffsetMs = new java.util.HashMap<>();

    /** Capture times set outright (µs), by sequence. */
    private final java.util.Map<Long, Long> captureUs = new java.util.HashMap<>();

    private FrameMeta meta(long seq) {
        long capture =
                captureUs.getOrDefault(seq, BASE_CAPTURE_US + captureOffsetMs.getOrDefault(seq, 0L) * 1000 + seq);
        return new FrameMeta(session, seq, seq * 40_000, capture, W, H, ImageEncoding.PNG, 4, 25, false);
    }

    private void sendFrame(long seq) {
        sendFrame("cam", seq);
    }

    private void sendFrame(String camera, long seq) {
        frames.pipeInput(new TestRecord<>(camera, picture, headersOf(camera, seq)));
    }

    private RecordHeaders headersOf(String camera, long seq) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeFrame(headers, camera, meta(seq));
        return headers;
    }

    private void sendMask(String camera, long seq) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, camera, new MaskMeta(meta(seq), "test-model", 1000, MaskStatus.OK));
        masks.pipeInput(new TestRecord<>(camera, MaskCodec.encode(new LabelMap(W, H, new byte[W * H])), headers));
    }

    private void sendFrame(long seq, long captureOffset) {
        captureOffsetMs.put(seq, captureOffset);
        sendFrame(seq);
    }

    private void sendMaskEndOfStream(long count) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeEndOfStream(headers, "cam", new EndOfStream(session, count));
        masks.pipeInput(new TestRecord<>("cam", new byte[0], headers));
    }

    private void sendMask(long seq, byte[] labels) {
        sendMask(seq, labels, "test-model");
    }

    private void sendMask(long seq, byte[] labels, String model) {
        sendMask(seq, labels, model, "");
    }

    private void sendMask(long seq, byte[] labels, String model, String digest) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, "cam", new MaskMeta(meta(seq), model, 1000, MaskStatus.OK, digest));
        masks.pipeInput(new TestRecord<>("cam", MaskCodec.encode(new LabelMap(W, H, labels)), headers));
    }

    private void sendMask(long seq, MaskStatus status, int label) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeMask(headers, "cam", new MaskMeta(meta(seq), "test-model", 1000, status));
        byte[] value = new byte[0];
        if (status == MaskStatus.OK) {
            byte[] labels = new byte[W * H];
            Arrays.fill(labels, (byte) label);
            value = MaskCodec.encode(new LabelMap(W, H, labels));
        }
        masks.pipeInput(new TestRecord<>("cam", value, headers));
    }

    private void sendEndOfStream(long count) {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeEndOfStream(headers, "cam", new EndOfStream(session, count));
        frames.pipeInput(new TestRecord<>("cam", new byte[0], headers));
    }

    private static byte[] grey() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
