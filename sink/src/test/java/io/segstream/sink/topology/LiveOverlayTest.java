package io.segstream.sink.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Clips;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera's frames that the segmenter skipped as stale are neither decoded nor drawn: the
 * video shows the camera's last overlay again for them, and their statistics lines say so.
 */
class LiveOverlayTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};

    @TempDir
    Path dir;

    private final UUID session = UUID.randomUUID();

    @Test
    void shouldShowTheLastOverlayAgainForALiveFrameSkippedAsStale() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Topics topics = Topics.DEFAULT;
        SinkConfig config =
                new SinkConfig("unused:9092", topics, "sink-test", dir.resolve("state"), Optional.of(out), 0.0);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sink-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        MaskStatus[] statuses = {MaskStatus.OK, MaskStatus.SKIPPED_STALE, MaskStatus.SKIPPED_STALE, MaskStatus.OK};
        try (TopologyTestDriver driver = new TopologyTestDriver(SinkTopology.build(config), props)) {
            TestInputTopic<String, byte[]> frames =
                    driver.createInputTopic(topics.frames(), new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> masks =
                    driver.createInputTopic(topics.masks(), new StringSerializer(), new ByteArraySerializer());
            RecordHeaders described = new RecordHeaders();
            WireHeaders.writeModelDescription(described, ModelDescription.of("test-model", Cityscapes.TAXONOMY));
            masks.pipeInput(new TestRecord<>(
                    "test-model",
                    ModelDescriptionJson.write(ModelDescription.of("test-model", Cityscapes.TAXONOMY))
                            .getBytes(StandardCharsets.UTF_8),
                    described));
            for (int seq = 0; seq < statuses.length; seq++) {
                RecordHeaders h = new RecordHeaders();
                WireHeaders.writeFrame(h, "cam", meta(seq));
                frames.pipeInput(new TestRecord<>("cam", picture(COLOURS[seq]), h));
                RecordHeaders m = new RecordHeaders();
                WireHeaders.writeMask(m, "cam", new MaskMeta(meta(seq), "test-model", 1000, statuses[seq]));
                byte[] mask = statuses[seq] == MaskStatus.OK
                        ? MaskCodec.encode(new LabelMap(W, H, new byte[W * H]))
                        : new byte[0];
                masks.pipeInput(new TestRecord<>("cam", mask, m));
            }
            RecordHeaders end = new RecordHeaders();
            WireHeaders.writeEndOfStream(end, "cam", new EndOfStream(session, statuses.length));
            frames.pipeInput(new TestRecord<>("cam", new byte[0], end));
            masks.pipeInput(new TestRecord<>("cam", new byte[0], end));
        }

        Path video;
        try (Stream<Path> files = Files.list(out.resolve("cam").resolve("live"))) {
            video = files.filter(f -> f.toString().endsWith(".mp4")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(
                video.resolveSibling(video.getFileName().toString().replace(".mp4", ".jsonl")));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("\"status\":\"skipped-stale\"");
        List<BufferedImage> shown = Clips.decode(video);
        assertThat(shown).hasSize(4);
        // the blend is transparent (alpha 0): each picture is its frame's colour, where it was drawn
        assertThat(centre(shown.get(0))).as("frame 0, red").isEqualTo(Color.RED.getRGB() & 0xE0E0E0);
        assertThat(centre(shown.get(1)))
                .as("frame 1, skipped: frame 0 again, not green")
                .isEqualTo(Color.RED.getRGB() & 0xE0E0E0);
        assertThat(centre(shown.get(2)))
                .as("frame 2, skipped: frame 0 again, not blue")
                .isEqualTo(Color.RED.getRGB() & 0xE0E0E0);
        assertThat(centre(shown.get(3)))
                .as("frame 3, segmented: its own picture")
                .isEqualTo(Color.WHITE.getRGB() & 0xE0E0E0);
    }

    private FrameMeta meta(long seq) {
        return new FrameMeta(
                session,
                seq,
                seq * 100_000,
                1_700_000_000_000_000L + seq * 100_000,
                W,
                H,
                ImageEncoding.PNG,
                -1,
                10,
                true);
    }

    private static byte[] picture(Color c) throws Exception {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, W, H);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** The colour at the picture's centre (below the status line), to 3 bits a channel. */
    private static int centre(BufferedImage img) {
        return img.getRGB(W / 2, H * 3 / 4) & 0xE0E0E0;
    }
}
